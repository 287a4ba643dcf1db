/// A lookup from ERP values to shop values (`HAUPT` → `Hauptlager`, `19` → `true`), with an
/// optional default for values not listed. Keys are compared as text (`19`, `true`, `J`).
public struct ValueTable: Sendable, Hashable {
    /// The table's name under `tables:`, or nil when written inline.
    public var name: String?
    public var entries: [String: String]
    public var fallback: String?

    public init(name: String? = nil, entries: [String: String], fallback: String? = nil) {
        self.name = name
        self.entries = entries
        self.fallback = fallback
    }

    /// The shop value for `key`, or nil when it is neither listed nor covered by a default.
    public func look(up key: String) -> String? {
        entries[key] ?? fallback
    }

    var label: String { name.map { "table \"\($0)\"" } ?? "the table" }
}
