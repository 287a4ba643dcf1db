/// A folder files are delivered to, complete or not at all, never replacing someone else's
/// file: a partner's folder on an SFTP server (`PartnerDestination`). Local outboxes need no
/// conformer: export files are written in place there through `AtomicFile`.
public protocol FileDestination: AnyObject {
    /// Where the files go, as messages name it (`sftp://erp`, `outbox/receipts`).
    var location: String { get }

    /// Whether deliveries wait for now (a partner resting after a failure).
    var isResting: Bool { get }

    /// Puts a local file at `path`: under a temporary name first, flushed, checked, then renamed
    /// into place. A name already taken by the same bytes means an earlier attempt got that
    /// far (`.alreadyThere`); by other bytes, `DeliveryConflict`.
    func put(_ localPath: String, at path: String) async throws -> Delivered

    /// What a failed delivery means for the destination's other files (see `FileSource.assess`).
    func assess(_ error: any Error, doing: String) -> FailureScope
}

/// How a delivery ended.
public enum Delivered: Sendable, Equatable {
    case sent
    /// The same bytes were in place already.
    case alreadyThere
}

/// A name at the destination already holds a different file; it is never replaced.
public struct DeliveryConflict: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}
