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

/// The import pipeline for one claimed file, a chain of stages: check (read + checksum +
/// validate + map, `CheckStage`) → duplicate check and verdict with the safety valves
/// (`Verdict`) → plan + push (`PushStage`) → settle (`Settlement`: receipt, ledger commit,
/// placement). A file that changed while it was read goes back to its inbox instead.
struct ImportPipeline {
    let config: GatewayConfig
    let ledger: Ledger
    let pushStage: PushStage
    let settlement: Settlement
    let events: GatewayEvents
    /// Called with the work path after a file was read and before it is checked for changes;
    /// tests use it to play a writer that was not finished.
    var afterRead: ((String) -> Void)?

    /// Reads, checksums and validates a claimed file in one pass, then commits and places the outcome.
    /// - Parameters:
    ///   - inbox: where a file that changed while it was read is put back (nil: it was fetched
    ///     from a partner, and a change means something local is wrong).
    ///   - checksum: the file's SHA-256 when it is known for certain (computed while a
    ///     partner's file was downloaded into the work area); it is not computed a second time.
    func run(_ entry: FileEntry, flow: FlowConfig, inbox: String?, checksum: String? = nil) async throws -> FileEntry {
        let input: FileInput
        do {
            input = try FileInput(path: entry.workPath, followSymlinks: false)
        } catch {
            return try settlement.refuse(entry, flow: flow, code: .unreadable, message: "the file could not be opened: \(error)")
        }
        var info = stat()
        guard fstat(input.descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            return try settlement.refuse(entry, flow: flow, code: .notRegularFile, message: "\"\(entry.name)\" is not a regular file")
        }
        let displayPath = flow.displayDirectory(config) + "/" + entry.name
        let stage = CheckStage(flow: flow, diagnosticCap: config.diagnosticCap, spillDirectory: config.processingDirectory, checksum: true)
        let rejects = flow.onError == .skipRows
            ? stage.format.rejectedRows.map { RejectedRows(path: FileNames.rejectedRows(ofWork: entry.workPath), layout: $0) } : nil
        let started = ContinuousClock.now
        let checked = try stage.run(
            ImportFile(input: input, path: entry.workPath, displayPath: displayPath, knownChecksum: checksum, followSymlinks: false), rejects: rejects)
        events.publish(.stageFinished(flow: flow.name, file: entry.id, stage: .check, duration: .now - started))
        afterRead?(entry.workPath)
        let size = checked.bytesRead ?? Int64(info.st_size)
        if let change = Self.change(of: input.descriptor, since: info, bytesRead: size) {
            let reason = "the file changed while it was read (\(change)); its writer was probably not finished"
            guard let inbox else {
                return try settlement.refuse(entry, flow: flow, code: .fileChanged, message: "the fetched copy changed while it was read (\(reason))")
            }
            return try settlement.giveBack(entry, flow: flow, to: inbox + "/" + entry.name, reason: reason)
        }
        return try await conclude(entry, flow: flow, checked: checked, size: size, displayPath: displayPath, rejects: rejects)
    }

    /// Everything after the read, the same for every format: the checksum into the ledger, the
    /// duplicate check, the verdict and safety valves, the push, then the settle stage.
    private func conclude(
        _ entry: FileEntry, flow: FlowConfig, checked: CheckedFile, size: Int64, displayPath: String, rejects: RejectedRows?
    ) async throws -> FileEntry {
        let sha = checked.sha256!
        try ledger.recordChecksum(entry.id, sha256: sha, size: size)
        CrashPoint.hashed.reach()

        var current = try ledger.entry(entry.id) ?? entry
        if let first = try ledger.firstApplied(sha256: sha, flow: flow.name), first.id != entry.id {
            return try settlement.duplicate(current, flow: flow, of: first)
        }
        CrashPoint.validated.reach()

        var check = checked.check
        var verdict = Verdict(check, policy: flow.onError)
        if flow.mapping != nil, !check.fileError {
            try verdict.applySafetyValves(to: &check, flow: flow, entry: entry, file: displayPath) {
                try ledger.lastGood(flow: flow.name, before: entry.id)
            }
        }
        var pushed: PushOutcome?
        if let mapped = checked.mapped, !flow.shops.isEmpty, verdict.state == .done || verdict.state == .partial, check.rowsRead > 0 {
            let started = ContinuousClock.now
            let outcome = try await pushStage.push(
                mapped, flow: flow, entryID: entry.id, sha: sha, complete: check.rowsRejected == 0, file: displayPath,
                diagnostics: &check.diagnostics)
            events.publish(.stageFinished(flow: flow.name, file: entry.id, stage: .push, duration: .now - started))
            verdict.apply(outcome, id: entry.id)
            pushed = outcome
        }
        var keptRejected: String?
        if let rejects, verdict.state == .partial, try rejects.keep() { keptRejected = rejects.path }
        current.size = size
        return try settlement.settle(current, flow: flow, Settlement.Outcome(
            state: verdict.state, summary: verdict.summary, check: check, mapped: checked.mapped, pushed: pushed, rejectedRows: keptRejected))
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
}
