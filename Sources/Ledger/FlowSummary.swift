public import Foundation

/// Counts per state for one flow, for `hafen status`.
public struct FlowSummary: Sendable, Codable, Equatable {
    public var flow: String
    public var counts: [String: Int]
    public var lastFinishedAt: Date?
    public var inFlight: Int
}
