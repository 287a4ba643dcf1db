/// Where an inbound file stands. `received` and `processing` are in flight; the others are final.
/// `returned`: the file changed while it was read (its writer was not finished), so it was put
/// back into the inbox to settle again; it comes back as a new entry. `held`: a safety valve
/// stopped the file (far fewer rows than the last good one); it waits in `held/` for
/// `hafen approve`.
public enum FileState: String, Sendable, Codable, CaseIterable {
    case received, processing, done, partial, failed, duplicate, returned, held

    public var isFinal: Bool {
        switch self {
        case .received, .processing: false
        default: true
        }
    }

    /// Done or partial: its content was applied, so the same bytes again are a duplicate.
    public var isSuccess: Bool { self == .done || self == .partial }
}
