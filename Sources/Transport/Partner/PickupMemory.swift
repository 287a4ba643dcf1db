/// What a partner folder remembers of the files it fetched, across passes and restarts: the
/// gateway's ledger, whose transfer rows say what was taken and what became of the partner's
/// copy.
public protocol PickupMemory: AnyObject {
    /// The latest record of this very file (same path, size and time), if any.
    func recall(_ origin: RemoteOrigin) throws -> RecalledPickup?
    /// The partner's copy of a file fetched before was dealt with now.
    func released(_ transferID: Int64, disposition: String) throws
}

/// A remembered pick-up.
public struct RecalledPickup: Sendable {
    public var transferID: Int64
    /// The file it became in the ledger, if it was registered.
    public var fileID: Int64?
    public var origin: RemoteOrigin
    /// Fetched, but the partner's copy not yet kept, deleted or moved (a crash came between).
    public var awaitsRelease: Bool
    /// Taken (or refused) and the partner's copy dealt with.
    public var isFinished: Bool
    /// What became of the partner's copy ("kept", "deleted", the folder it went to, or refused).
    public var disposition: String?

    public init(transferID: Int64, fileID: Int64?, origin: RemoteOrigin, awaitsRelease: Bool, isFinished: Bool, disposition: String?) {
        self.transferID = transferID
        self.fileID = fileID
        self.origin = origin
        self.awaitsRelease = awaitsRelease
        self.isFinished = isFinished
        self.disposition = disposition
    }
}
