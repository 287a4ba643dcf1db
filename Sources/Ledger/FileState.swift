/// Where an inbound file stands. `received` and `processing` are in flight; the others are final.
public enum FileState: String, Sendable, Codable, CaseIterable {
    case received, processing, done, partial, failed, duplicate

    public var isFinal: Bool {
        switch self {
        case .received, .processing: false
        default: true
        }
    }

    /// Done or partial: its content was applied, so the same bytes again are a duplicate.
    public var isSuccess: Bool { self == .done || self == .partial }
}
