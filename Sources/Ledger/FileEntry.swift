public import Foundation

/// One inbound file as the ledger knows it: one row per attempt.
public struct FileEntry: Sendable, Codable, Equatable {
    public var id: Int64
    public var flow: String
    /// Where it came from, e.g. `local:inbox/stock`.
    public var source: String
    public var name: String
    public var size: Int64?
    public var sha256: String?
    public var receivedAt: Date
    public var finishedAt: Date?
    public var state: FileState
    public var attempt: Int
    /// The attempt this one repeats (`hafen reprocess`).
    public var retryOf: Int64?
    /// The earlier file with the same content (state `duplicate`).
    public var duplicateOf: Int64?
    /// Where the file sits while in flight (under `.hafen/processing/`).
    public var workPath: String
    /// Where it went when finished (`archive/…` or `failed/…`).
    public var finalPath: String?
    /// For partial files: the rejected rows, in `failed/`.
    public var rejectedPath: String?
    public var rowsRead: Int?
    public var rowsValid: Int?
    public var rowsRejected: Int?
    public var errorSummary: String?
    /// True once the file was moved to its final place and its receipt written.
    public var placed: Bool
}
