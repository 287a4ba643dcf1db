import Foundation
import Formats
import Ledger
import Logging
import Mapping
import Validation

/// The settle stage: it owns a file's outcome. It builds the receipt, commits outcome and
/// receipt to the ledger in one transaction, and only then places the file (archive, failed,
/// held, or back into its inbox) with its error report, receipt copy and rejected rows — so a
/// crash at any point is finished by placing again.
struct Settlement: Sendable {
    let config: GatewayConfig
    let ledger: Ledger
    let logger: Logger
    let events: GatewayEvents

    /// What an import came to, ready to be committed.
    struct Outcome {
        var state: FileState
        var summary: String
        var check: TableCheckResult
        var duplicateOf: Int64? = nil
        var mapped: MappingResult? = nil
        var pushed: PushOutcome? = nil
        /// A partial file's rejected rows, written in the work area.
        var rejectedRows: String? = nil
    }

    /// Commits the outcome with its receipt, then moves the file (crash-safe order).
    func settle(_ entry: FileEntry, flow: FlowConfig, _ outcome: Outcome) throws -> FileEntry {
        let now = Date()
        let safeName = FileNames.safe(entry.name)
        let finalPath = switch outcome.state {
        case .failed: FileNames.free(in: config.absolute(config.failedDirectory), name: safeName, id: entry.id)
        case .held: FileNames.free(in: config.absolute(config.heldDirectory), name: safeName, id: entry.id)
        default: FileNames.free(in: config.absolute(config.archiveDirectory) + "/" + FileNames.day(now), name: safeName, id: entry.id)
        }
        let rejectedPath = outcome.rejectedRows.map { _ in
            FileNames.free(in: config.absolute(config.failedDirectory), name: FileNames.rejectedRows(named: safeName), id: entry.id)
        }
        let check = outcome.check
        let reused = try ledger.previousWithSameName(as: entry)
        let receipt = Receipt(
            id: entry.id, flow: flow.name, file: entry.name, source: entry.source, size: entry.size,
            sha256: try entry.sha256 ?? ledger.entry(entry.id)?.sha256, receivedAt: entry.receivedAt, finishedAt: now,
            status: outcome.state.rawValue, duplicateOf: outcome.duplicateOf, attempt: entry.attempt, retryOf: entry.retryOf,
            nameReusedFrom: outcome.state == .duplicate ? nil : reused?.id, policy: flow.onError.rawValue,
            rows: Receipt.Rows(read: check.rowsRead, valid: check.rowsValid, rejected: check.rowsRejected, mapped: outcome.mapped?.rowsMapped,
                               filtered: outcome.mapped?.rowsFiltered, pushed: outcome.pushed?.rowsPushed, unchanged: outcome.pushed?.rowsUnchanged),
            storedAt: config.display(finalPath), rejectedRowsFile: rejectedPath.map(config.display), summary: outcome.summary,
            errors: check.diagnostics.kept, errorsTotal: check.diagnostics.total, objects: outcome.mapped.map(Receipt.Objects.init),
            shops: outcome.pushed?.reports)
        let receiptPath = FileNames.receipt(
            in: config.absolute(config.receiptsDirectory), flow: receipt.flow, file: receipt.file, sha256: receipt.sha256, id: receipt.id)
        try ledger.complete(entry.id, with: FileOutcome(
            state: outcome.state, duplicateOf: outcome.duplicateOf, rowsRead: check.rowsRead, rowsValid: check.rowsValid,
            rowsRejected: check.rowsRejected, errorSummary: outcome.state == .done ? nil : outcome.summary, finalPath: finalPath,
            rejectedPath: rejectedPath, receiptJSON: try receipt.json(), receiptPath: receiptPath), at: now)
        logger.log(
            level: outcome.state == .failed ? .warning : .info, "\(outcome.state.rawValue): \(outcome.summary)",
            metadata: ["flow": "\(flow.name)", "file.name": "\(entry.name)", "file.sha256": "\(receipt.sha256 ?? "")", "file.id": "\(entry.id)"])
        CrashPoint.committed.reach()
        return try place(entry.id, rejectedRows: outcome.rejectedRows) ?? entry
    }

    /// Records a file that is refused without reading it (link, pipe, bad name, too large).
    func refuse(_ entry: FileEntry, flow: FlowConfig, code: DiagnosticCode, message: String) throws -> FileEntry {
        var check = TableCheckResult(diagnostics: DiagnosticLog(cap: config.diagnosticCap))
        check.fileError = true
        check.diagnostics.append(Diagnostic(code, at: Position(file: flow.displayDirectory(config) + "/" + entry.name), rule: "intake", message: message))
        return try settle(entry, flow: flow, Outcome(state: .failed, summary: message, check: check))
    }

    /// Records a file whose content was already applied as a duplicate of that file; nothing
    /// else happens to it.
    func duplicate(_ entry: FileEntry, flow: FlowConfig, of first: FileEntry) throws -> FileEntry {
        let summary = "the same content as #\(first.id) (\(first.name), \(first.state.rawValue)) arrived again; it was not applied twice"
        return try settle(entry, flow: flow, Outcome(
            state: .duplicate, summary: summary, check: TableCheckResult(diagnostics: DiagnosticLog(cap: 0)), duplicateOf: first.id))
    }

    /// Puts a file that changed during the read back into its inbox, to settle and be taken
    /// again as a new entry. Nothing was applied and no receipt is written.
    func giveBack(_ entry: FileEntry, flow: FlowConfig, to inboxPath: String, reason: String) throws -> FileEntry {
        try ledger.markReturned(entry.id, to: inboxPath, reason: reason)
        logger.warning("returned to the inbox: \(reason)", metadata: ["flow": "\(flow.name)", "file.name": "\(entry.name)", "file.id": "\(entry.id)"])
        return try place(entry.id, rejectedRows: nil) ?? entry
    }
}
