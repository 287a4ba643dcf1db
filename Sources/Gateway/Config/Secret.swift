/// Where a secret (an API token) is kept: an environment variable or a file, read by the
/// connector when it needs it. Only the reference is ever shown or logged, never the value.
public enum Secret: Sendable, Equatable, CustomStringConvertible {
    case environment(String)
    case file(String)

    /// `env:NAME` or `file:PATH`; anything else is refused, so no token is written into hafen.yaml.
    public init?(reference: String) {
        if reference.hasPrefix("env:"), reference.count > 4 {
            self = .environment(String(reference.dropFirst(4)))
        } else if reference.hasPrefix("file:"), reference.count > 5 {
            self = .file(String(reference.dropFirst(5)))
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .environment(let name): "env:\(name)"
        case .file(let path): "file:\(path)"
        }
    }
}
