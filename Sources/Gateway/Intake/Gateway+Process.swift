#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Formats
import Ledger
import Mapping
import Commerce
import Logging
import Validation

extension Gateway {
    /// Reads, checksums and validates a claimed file in one pass, then commits and places the outcome.
    /// - Parameter checksum: the file's SHA-256 when it is known for certain (computed while a
    ///   partner's file was downloaded into the work area); it is not computed a second time.
    func process(_ entry: FileEntry, flow: FlowConfig, checksum: String? = nil) async throws -> FileEntry {
        let input: FileInput
        do {
            input = try FileInput(path: entry.workPath, followSymlinks: false)
        } catch {
            return try refuse(entry, flow: flow, code: .unreadable, message: "the file could not be opened: \(error)")
        }
        var info = stat()
        guard fstat(input.descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            return try refuse(entry, flow: flow, code: .notRegularFile, message: "\"\(entry.name)\" is not a regular file")
        }
        let displayPath = flow.displayDirectory(config) + "/" + entry.name
        let rejects = flow.onError == .skipRows ? flow.format.reader.rejectedRows.map { RejectedRows(path: entry.workPath + ".rejected.csv", layout: $0) } : nil
        let stage = CheckStage(flow: flow, diagnosticCap: config.diagnosticCap, spillDirectory: config.processingDirectory, checksum: true)
        let checked = try stage.run(
            ImportFile(input: input, path: entry.workPath, displayPath: displayPath, knownChecksum: checksum, followSymlinks: false), rejects: rejects)
        afterRead?(entry.workPath)
        let size = checked.bytesRead ?? Int64(info.st_size)
        if let change = Self.change(of: input.descriptor, since: info, bytesRead: size) {
            return try giveBack(entry, flow: flow, reason: "the file changed while it was read (\(change)); its writer was probably not finished")
        }
        return try await conclude(
            entry, flow: flow, result: checked.check, mapped: checked.mapped, sha: checked.sha256!, size: size, displayPath: displayPath,
            rejects: rejects)
    }

    /// Everything after the read, the same for every format: the checksum into the ledger, the
    /// duplicate check, the verdict and safety valves, the push, the receipt and the move.
    func conclude(
        _ entry: FileEntry, flow: FlowConfig, result: TableCheckResult, mapped: MappingResult?, sha: String, size: Int64, displayPath: String,
        rejects: RejectedRows?
    ) async throws -> FileEntry {
        var result = result
        try ledger.recordChecksum(entry.id, sha256: sha, size: size)
        CrashPoint.hashed.reach()

        var current = try ledger.entry(entry.id) ?? entry
        if let first = try ledger.firstApplied(sha256: sha, flow: flow.name), first.id != entry.id {
            let summary = "the same content as #\(first.id) (\(first.name), \(first.state.rawValue)) arrived again; it was not applied twice"
            result = TableCheckResult(diagnostics: DiagnosticLog(cap: 0))
            return try finish(current, flow: flow, state: .duplicate, result: result, summary: summary, duplicateOf: first.id, rejectedTemp: nil,
                              mapping: nil)
        }
        CrashPoint.validated.reach()

        var (state, summary) = Self.verdict(result, flow: flow)
        if flow.mapping != nil, !result.fileError {
            // Safety valves: never act on a file that looks cut off, empty, or far too short.
            let at = Position(file: displayPath, line: nil, row: result.rowsRead + flow.format.headerLines)
            if result.truncated {
                state = .failed
                summary = "the file ends in the middle of its last row: it looks cut off, so nothing from it is sent"
                result.diagnostics.append(Diagnostic(.truncatedFile, at: at, rule: "safety", message: summary))
            } else if result.rowsRead == 0 {
                summary = "the file has no data rows: nothing is sent (an empty export never clears the shop)"
                result.diagnostics.append(Diagnostic(.emptyFile, at: Position(file: displayPath, line: 1), rule: "safety", severity: .warning,
                                                     message: summary))
            } else if let drop = flow.holdIfRowsDrop, state != .failed, !entry.source.hasPrefix(Self.approvedSource),
                let last = try ledger.lastGood(flow: flow.name, before: entry.id), let lastRows = last.rowsRead, lastRows > 0,
                Double(result.rowsRead) < Double(lastRows) * (1 - drop)
            {
                let share = Int(((1 - Double(result.rowsRead) / Double(lastRows)) * 100).rounded())
                state = .held
                summary = "held for approval: \(result.rowsRead) rows, \(share)% fewer than the last good file #\(last.id) (\(lastRows) rows); "
                    + "to send it anyway: hafen approve \(entry.id)"
                result.diagnostics.append(Diagnostic(.rowCountDrop, at: Position(file: displayPath, line: nil), rule: "safety",
                                                     severity: .warning, message: summary))
            }
        }
        var pushed: PushOutcome?
        if let mapped, !flow.shops.isEmpty, state == .done || state == .partial, result.rowsRead > 0 {
            let outcome = try await push(
                mapped, flow: flow, entryID: entry.id, sha: sha, complete: result.rowsRejected == 0, file: displayPath,
                diagnostics: &result.diagnostics)
            (state, summary) = Self.verdict(after: outcome, state: state, summary: summary, id: entry.id)
            pushed = outcome
        }
        var keptRejected: String?
        if let rejects, state == .partial, try rejects.keep() {
            keptRejected = rejects.path
        }
        current.size = size
        return try finish(current, flow: flow, state: state, result: result, summary: summary, duplicateOf: nil, rejectedTemp: keptRejected,
                          mapping: mapped, pushed: pushed)
    }

    /// The state and summary once the shops have answered: a shop that failed as a whole fails
    /// the file (reprocessing sends what is still missing); refused objects make it partial.
    static func verdict(after push: PushOutcome, state: FileState, summary: String, id: Int64) -> (FileState, String) {
        var state = state
        var parts = [summary]
        for report in push.reports {
            if report.writesBlocked {
                parts.append("shop \(report.shop): writes blocked, \(report.notSent) changes not sent")
            } else {
                parts.append("shop \(report.shop): \(report.created) created, \(report.updated) updated, \(report.unchanged) unchanged"
                    + (report.deactivated > 0 ? ", \(report.deactivated) deactivated" : "") + (report.refused > 0 ? ", \(report.refused) refused" : "")
                    + (report.skipped > 0 ? ", \(report.skipped) skipped (SKU not in the shop)" : ""))
            }
        }
        if !push.failures.isEmpty {
            state = .failed
            parts.append(push.failures.joined(separator: "; ") + " — what was sent is recorded; hafen reprocess \(id) sends the rest")
        } else if push.refused > 0 && state == .done {
            state = .partial
        }
        return (state, parts.joined(separator: "; "))
    }

    /// The source of an attempt an admin approved (`hafen approve`): the safety valves let it pass.
    static let approvedSource = "approved:"

    /// done, partial or failed, and the summary, from the counts.
    static func verdict(_ result: TableCheckResult, flow: FlowConfig) -> (FileState, String) {
        let problems = result.diagnostics.total
        if result.fileError {
            return (.failed, result.diagnostics.kept.first.map { "the file cannot be read as configured: \($0.message)" } ?? "the file cannot be read")
        } else if result.rowsRejected == 0 {
            return (.done, "\(result.rowsRead) row\(result.rowsRead == 1 ? "" : "s") read, all valid")
        } else if flow.onError == .skipRows && result.rowsValid > 0 {
            return (.partial, "\(result.rowsValid) of \(result.rowsRead) rows valid; \(result.rowsRejected) rejected (\(problems) problem\(problems == 1 ? "" : "s"))")
        }
        return (.failed, "\(result.rowsRejected) of \(result.rowsRead) rows have errors (\(problems) problem\(problems == 1 ? "" : "s"))")
    }

    /// What changed about an open file since `before` (size, modification time, or fewer bytes
    /// read than it held), or nil if nothing did (RELIABILITY F6).
    static func change(of descriptor: Int32, since before: stat, bytesRead: Int64) -> String? {
        var now = stat()
        guard fstat(descriptor, &now) == 0 else { return "it can no longer be inspected" }
        if now.st_size != before.st_size { return "size \(before.st_size) → \(now.st_size) bytes" }
        if now.st_mtim.tv_sec != before.st_mtim.tv_sec || now.st_mtim.tv_nsec != before.st_mtim.tv_nsec {
            return "modified again during the read"
        }
        if bytesRead != Int64(now.st_size) { return "\(bytesRead) bytes read of \(now.st_size)" }
        return nil
    }

    /// Puts a file that changed during the read back into its inbox, to settle and be taken
    /// again as a new entry. Nothing was applied and no receipt is written.
    func giveBack(_ entry: FileEntry, flow: FlowConfig, reason: String) throws -> FileEntry {
        // A fetched file is Hafen's own copy: if it changed, something local is wrong.
        if flow.remote != nil { return try refuse(entry, flow: flow, code: .fileChanged, message: "the fetched copy changed while it was read (\(reason))") }
        let target = inbox(flow) + "/" + entry.name
        try ledger.markReturned(entry.id, to: target, reason: reason)
        logger.warning("returned to the inbox: \(reason)", metadata: ["flow": "\(flow.name)", "file.name": "\(entry.name)", "file.id": "\(entry.id)"])
        try place(entry.id, rejectedTemp: nil)
        return try ledger.entry(entry.id) ?? entry
    }

    /// Records a file that is refused without reading it (link, pipe, bad name, too large).
    func refuse(_ entry: FileEntry, flow: FlowConfig, code: DiagnosticCode, message: String) throws -> FileEntry {
        var result = TableCheckResult(diagnostics: DiagnosticLog(cap: config.diagnosticCap))
        result.fileError = true
        result.diagnostics.append(Diagnostic(code, at: Position(file: flow.displayDirectory(config) + "/" + entry.name), rule: "intake", message: message))
        return try finish(entry, flow: flow, state: .failed, result: result, summary: message, duplicateOf: nil, rejectedTemp: nil, mapping: nil)
    }

    /// Commits the outcome with its receipt, then moves the file (crash-safe order).
    private func finish(
        _ entry: FileEntry, flow: FlowConfig, state: FileState, result: TableCheckResult, summary: String, duplicateOf: Int64?,
        rejectedTemp: String?, mapping: MappingResult?, pushed: PushOutcome? = nil
    ) throws -> FileEntry {
        let now = Date()
        let safeName = Self.safeName(Array(entry.name.utf8))
        let finalPath = switch state {
        case .failed: freePath(in: config.absolute(config.failedDirectory), name: safeName, id: entry.id)
        case .held: freePath(in: config.absolute(config.heldDirectory), name: safeName, id: entry.id)
        default: freePath(in: config.absolute(config.archiveDirectory) + "/" + Self.day(now), name: safeName, id: entry.id)
        }
        let rejectedPath = rejectedTemp.map { _ in
            freePath(in: config.absolute(config.failedDirectory), name: safeName + ".rejected.csv", id: entry.id)
        }
        let reused = try ledger.previousWithSameName(as: entry)
        let receipt = Receipt(
            id: entry.id, flow: flow.name, file: entry.name, source: entry.source, size: entry.size, sha256: try entry.sha256 ?? ledger.entry(entry.id)?.sha256,
            receivedAt: entry.receivedAt, finishedAt: now, status: state.rawValue, duplicateOf: duplicateOf, attempt: entry.attempt,
            retryOf: entry.retryOf, nameReusedFrom: state == .duplicate ? nil : reused?.id, policy: flow.onError.rawValue,
            rows: Receipt.Rows(read: result.rowsRead, valid: result.rowsValid, rejected: result.rowsRejected, mapped: mapping?.rowsMapped,
                               filtered: mapping?.rowsFiltered, pushed: pushed?.rowsPushed, unchanged: pushed?.rowsUnchanged),
            storedAt: config.display(finalPath), rejectedRowsFile: rejectedPath.map(config.display), summary: summary,
            errors: result.diagnostics.kept, errorsTotal: result.diagnostics.total, objects: mapping.map(Receipt.Objects.init),
            shops: pushed?.reports)
        let receiptPath = try receiptLocation(for: receipt)
        try ledger.complete(entry.id, with: FileOutcome(
            state: state, duplicateOf: duplicateOf, rowsRead: result.rowsRead, rowsValid: result.rowsValid,
            rowsRejected: result.rowsRejected, errorSummary: state == .done ? nil : summary, finalPath: finalPath,
            rejectedPath: rejectedPath, receiptJSON: try receipt.json(), receiptPath: receiptPath), at: now)
        logger.log(
            level: state == .failed ? .warning : .info, "\(state.rawValue): \(summary)",
            metadata: ["flow": "\(flow.name)", "file.name": "\(entry.name)", "file.sha256": "\(receipt.sha256 ?? "")", "file.id": "\(entry.id)"])
        CrashPoint.committed.reach()
        try place(entry.id, rejectedTemp: rejectedTemp)
        return try ledger.entry(entry.id) ?? entry
    }

    /// `dir/name`, or `dir/<id>-name` if something else is already there.
    func freePath(in dir: String, name: String, id: Int64) -> String {
        let plain = dir + "/" + name
        return FileManager.default.fileExists(atPath: plain) ? dir + "/\(id)-" + name : plain
    }

    /// `outbox/receipts/<flow>/<name>.<sha12>.receipt.json`; a later attempt or duplicate with the
    /// same name and content adds its ledger id so no receipt overwrites another.
    private func receiptLocation(for receipt: Receipt) throws -> String {
        let dir = config.absolute(config.receiptsDirectory) + "/" + receipt.flow
        let name = Self.safeName(Array(receipt.file.utf8))
        let stem = receipt.sha256.map { "\(name).\($0.prefix(12))" } ?? "\(name).\(receipt.id)"
        let plain = dir + "/" + stem + ".receipt.json"
        return FileManager.default.fileExists(atPath: plain) ? dir + "/\(stem).\(receipt.id).receipt.json" : plain
    }

    static func day(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day())
    }
}
