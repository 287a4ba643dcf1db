import Foundation

/// Where a secret (an API token) is kept: an environment variable or a file. Only the
/// reference is ever shown or logged, never the value.
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

    /// The value, read when needed (not at start-up), trimmed of a trailing newline.
    public func resolve() throws(GatewayError) -> String {
        switch self {
        case .environment(let name):
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw GatewayError.notFound("the environment variable \(name) (a shop token) is not set")
            }
            return value
        case .file(let path):
            guard let value = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw GatewayError.notFound("the token file \(path) cannot be read")
            }
            return value.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
