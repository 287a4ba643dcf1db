import Foundation

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

extension Secret {
    /// Reads the secret: the environment variable, or the file (relative to `base`), with
    /// surrounding white space removed. Errors name where it was looked for, never a value.
    public func resolve(relativeTo base: String) throws(SecretError) -> String {
        let value: String?
        switch self {
        case .environment(let name):
            value = ProcessInfo.processInfo.environment[name]
        case .file(let path):
            let full = path.hasPrefix("/") ? path : base + "/" + path
            value = try? String(contentsOfFile: full, encoding: .utf8)
        }
        guard let text = value?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            throw SecretError(reference: description)
        }
        return text
    }
}

/// A secret that could not be read (only its reference is named).
public struct SecretError: Error, Sendable, CustomStringConvertible {
    public var reference: String

    public var description: String { "the secret \(reference) is not set or is empty" }
}
