/// One problem libxml2 found in a document or schema: where, and its message.
public struct XMLIssue: Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line, when libxml2 knows it.
    public var line: Int?
    /// The element's path, such as `/Auftraege/Auftrag[2]/Menge`, when known.
    public var path: String?
    public var message: String

    public init(line: Int?, path: String?, message: String) {
        self.line = line
        self.path = path
        self.message = message
    }

    public var description: String {
        var place: [String] = []
        if let line { place.append("line \(line)") }
        if let path { place.append(path) }
        return (place.isEmpty ? "" : place.joined(separator: ", ") + ": ") + message
    }
}

/// A failure of the XML module: what went wrong, with libxml2's issues when it reported any.
public struct XMLError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var issues: [XMLIssue]

    public init(_ message: String, issues: [XMLIssue] = []) {
        self.message = message
        self.issues = issues
    }

    public var description: String {
        issues.isEmpty ? message : message + ": " + issues.map(\.description).joined(separator: "; ")
    }
}
