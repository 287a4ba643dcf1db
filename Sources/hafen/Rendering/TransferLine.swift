import Ledger

/// One transfer in a line: direction, partner and path, state, and what became of it.
enum TransferLine {
    static func render(_ t: Transfer) -> String {
        let arrow = t.direction == .inbound ? "← \(t.partner):\(t.remotePath)" : "→ \(t.partner):\(t.remotePath)"
        var parts = ["#\(t.id) \(t.kind) \(arrow)", t.state.rawValue]
        if let size = t.size { parts.append("\(size) bytes") }
        if let disposition = t.disposition {
            parts.append(t.direction == .inbound && disposition != "kept" && disposition != "deleted" && !disposition.hasPrefix("refused")
                ? "moved to \(disposition)" : disposition)
        }
        if t.attempts > 0 { parts.append("\(t.attempts) failed attempt\(t.attempts == 1 ? "" : "s")") }
        if let error = t.lastError, t.state != .done { parts.append("last error: \(error)") }
        return parts.joined(separator: ", ")
    }
}
