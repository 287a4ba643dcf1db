/// A problem with the ledger database, saying what to do about it.
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The file failed `PRAGMA quick_check`.
        case corrupt
        /// Busy, locked, disk full, I/O: worth retrying.
        case transient
        case other
    }

    public var kind: Kind
    public var path: String
    public var message: String

    public var isTransient: Bool { kind == .transient }

    public var description: String {
        switch kind {
        case .corrupt:
            "the ledger \(path) is damaged (\(message)). Hafen will not run on it, because it holds the record of every file " +
                "already applied. Restore it from a backup (or ask for help); do not delete it."
        case .transient:
            "the ledger \(path) is temporarily unavailable (\(message)); Hafen retries"
        case .other:
            "the ledger \(path): \(message)"
        }
    }
}
