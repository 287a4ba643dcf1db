/// Paths on a partner's server: built only from checked parts, so that nothing Hafen reads from
/// a listing or a configuration can reach outside the partner's folder.
public enum RemotePath {
    /// Why a configured relative path is refused, or nil: no leading `/`, no `.` or `..`
    /// components, no control characters or backslashes.
    public static func problem(withRelative path: String) -> String? {
        if path.hasPrefix("/") { return "is absolute; paths are below the partner's directory" }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty { return "has an empty component (//)" }
            if component == "." || component == ".." { return "has a \(component) component, which could leave the partner's directory" }
        }
        if path.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }) {
            return "has a control character or backslash"
        }
        return nil
    }

    /// `base/relative` (`relative` alone when the partner has no base folder).
    public static func join(_ base: String, _ relative: String) -> String {
        if base.isEmpty { return relative }
        return base.hasSuffix("/") ? base + relative : base + "/" + relative
    }
}

/// A remote path that is refused.
public struct RemotePathError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path) \(problem)" }
}
