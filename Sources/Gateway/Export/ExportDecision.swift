import Commerce
import Ledger

/// What to do with one version of an order, given what the flow exported of it before.
enum ExportDecision: Equatable {
    /// The filter leaves it out (it was never exported).
    case skip(reason: String)
    /// This version was handled before.
    case seen
    /// Write it, as this kind.
    case write(ExportKind)
    /// Record it without writing (`unchanged`, `review`), with a note.
    case record(ExportKind, note: String?)

    /// - Parameters:
    ///   - hash: the SHA-256 of the rows this version becomes (independent of kind and date).
    ///   - history: the flow's records of this order, oldest first.
    static func decide(_ subject: ExportSubject, hash: String, history: [ExportRecord], config: ExportConfig) -> ExportDecision {
        if history.contains(where: { $0.version == subject.version }) { return .seen }
        // A refund is written once, when it happens; it never changes afterwards.
        if subject.refund != nil {
            if let reason = subject.rejection(by: config.filter) { return .skip(reason: reason) }
            return .write(.original)
        }
        guard let last = history.last(where: { $0.kind.isWritten }) else {
            if let reason = subject.rejection(by: config.filter) { return .skip(reason: reason) }
            return .write(.original)
        }
        if subject.order?.cancelledAt != nil {
            if history.contains(where: { $0.kind == .cancellation }) { return .record(.unchanged, note: "cancelled; cancellation written before") }
            return config.onCancel == .cancellation ? .write(.cancellation) : .record(.review, note: "cancelled after export")
        }
        if hash == last.contentHash { return .record(.unchanged, note: nil) }
        return config.onChange == .amend ? .write(.amendment) : .record(.review, note: "changed after export")
    }
}
