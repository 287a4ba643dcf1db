public import Foundation

/// One file moved to or from an SFTP partner, as the ledger keeps it.
///
/// Inbound (`in`): `fetched` once the download is complete, checked and registered as a file;
/// `done` once the remote copy was moved, deleted or is kept and remembered. Outbound (`out`):
/// `pending` until it is in place on the server under its final name, then `done`; `failed`
/// when it cannot be delivered without help (a different file already has its name).
public struct Transfer: Sendable, Equatable, Codable {
    public enum Direction: String, Sendable, Codable {
        case inbound = "in"
        case outbound = "out"
    }

    public enum State: String, Sendable, Codable, CaseIterable {
        case fetched, pending, done, failed
    }

    public var id: Int64
    public var direction: Direction
    public var partner: String
    /// The flow or export the transfer belongs to.
    public var flow: String
    /// What was moved: `file` (an ERP file or an export), `receipt`, `report`.
    public var kind: String
    public var remotePath: String
    public var localPath: String?
    public var size: Int64?
    /// The remote modification time (seconds), for inbound files.
    public var modified: Int64?
    public var sha256: String?
    /// The ledger file (inbound) or export file (outbound) it carries.
    public var fileID: Int64?
    public var exportFileID: Int64?
    public var state: State
    public var attempts: Int
    public var lastError: String?
    /// Where the remote file went after pick-up: a path, `deleted` or `kept`.
    public var disposition: String?
    public var createdAt: Date
    public var finishedAt: Date?

    public init(
        id: Int64 = 0, direction: Direction, partner: String, flow: String, kind: String, remotePath: String, localPath: String?, size: Int64?,
        modified: Int64? = nil, sha256: String?, fileID: Int64? = nil, exportFileID: Int64? = nil, state: State, attempts: Int = 0,
        lastError: String? = nil, disposition: String? = nil, createdAt: Date = Date(), finishedAt: Date? = nil
    ) {
        self.id = id
        self.direction = direction
        self.partner = partner
        self.flow = flow
        self.kind = kind
        self.remotePath = remotePath
        self.localPath = localPath
        self.size = size
        self.modified = modified
        self.sha256 = sha256
        self.fileID = fileID
        self.exportFileID = exportFileID
        self.state = state
        self.attempts = attempts
        self.lastError = lastError
        self.disposition = disposition
        self.createdAt = createdAt
        self.finishedAt = finishedAt
    }
}
