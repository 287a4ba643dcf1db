public import Foundation

/// One line of the ledger's activity log: what happened, when, to which file.
public struct Activity: Sendable, Codable, Equatable {
    public var id: Int64
    public var at: Date
    public var fileID: Int64?
    public var flow: String?
    public var event: String
    public var message: String
}
