import Formats
import Ledger
import Validation

/// What a file's import comes to — done, partial, failed or held — with its one-line summary:
/// from the check's counts, then the safety valves, then the shops' answers.
struct Verdict {
    var state: FileState
    var summary: String

    /// The source of an attempt an admin approved (`hafen approve`): the safety valves let it pass.
    static let approvedSource = "approved:"

    /// done, partial or failed, and the summary, from the counts.
    init(_ check: TableCheckResult, policy: FlowConfig.ErrorPolicy) {
        let problems = check.diagnostics.total
        let plural = problems == 1 ? "" : "s"
        if check.fileError {
            state = .failed
            summary = check.diagnostics.kept.first.map { "the file cannot be read as configured: \($0.message)" } ?? "the file cannot be read"
        } else if check.rowsRejected == 0 {
            state = .done
            summary = "\(check.rowsRead) row\(check.rowsRead == 1 ? "" : "s") read, all valid"
        } else if policy == .skipRows && check.rowsValid > 0 {
            state = .partial
            summary = "\(check.rowsValid) of \(check.rowsRead) rows valid; \(check.rowsRejected) rejected (\(problems) problem\(plural))"
        } else {
            state = .failed
            summary = "\(check.rowsRejected) of \(check.rowsRead) rows have errors (\(problems) problem\(plural))"
        }
    }

    /// Safety valves for a file that would send something: never act on a file that looks cut
    /// off, empty, or far too short next to the last good one (unless an admin approved it).
    /// - Parameter lastGood: the flow's last good file before this one.
    mutating func applySafetyValves(
        to check: inout TableCheckResult, flow: FlowConfig, entry: FileEntry, file: String, lastGood: () throws -> FileEntry?
    ) rethrows {
        if check.truncated {
            state = .failed
            summary = "the file ends in the middle of its last row: it looks cut off, so nothing from it is sent"
            let at = Position(file: file, line: nil, row: check.rowsRead + flow.format.headerLines)
            check.diagnostics.append(Diagnostic(.truncatedFile, at: at, rule: "safety", message: summary))
        } else if check.rowsRead == 0 {
            summary = "the file has no data rows: nothing is sent (an empty export never clears the shop)"
            check.diagnostics.append(Diagnostic(.emptyFile, at: Position(file: file, line: 1), rule: "safety", severity: .warning, message: summary))
        } else if let drop = flow.holdIfRowsDrop, state != .failed, !entry.source.hasPrefix(Self.approvedSource),
            let last = try lastGood(), let lastRows = last.rowsRead, lastRows > 0, Double(check.rowsRead) < Double(lastRows) * (1 - drop)
        {
            let share = Int(((1 - Double(check.rowsRead) / Double(lastRows)) * 100).rounded())
            state = .held
            summary = "held for approval: \(check.rowsRead) rows, \(share)% fewer than the last good file #\(last.id) (\(lastRows) rows); "
                + "to send it anyway: hafen approve \(entry.id)"
            check.diagnostics.append(Diagnostic(.rowCountDrop, at: Position(file: file, line: nil), rule: "safety", severity: .warning, message: summary))
        }
    }

    /// Once the shops have answered: a shop that failed as a whole fails the file (reprocessing
    /// sends what is still missing); refused objects make it partial.
    mutating func apply(_ push: PushOutcome, id: Int64) {
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
        summary = parts.joined(separator: "; ")
    }
}
