/// A problem with the ledger database, saying what to do about it.
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The file failed `PRAGMA quick_check`.
        case corrupt
        /// Busy, locked, disk full, I/O: worth retrying.
        case transient
        /// Another connection held a lock for longer than the busy timeout (10 s).
        case locked
        case other
    }

    public var kind: Kind
    public var path: String
    public var message: String
    /// Who else has the file open, when it is locked (`pid 123 (sqlite3)`), as the caller found out.
    public var heldBy: [String] = []

    public init(kind: Kind, path: String, message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var isTransient: Bool { kind == .transient || kind == .locked }

    public var description: String {
        switch kind {
        case .corrupt:
            "the ledger \(path) is damaged (\(message)). Hafen will not run on it, because it holds the record of every file " +
                "already applied. Restore it from a backup (or ask for help); do not delete it."
        case .transient:
            "the ledger \(path) is temporarily unavailable (\(message)); Hafen retries"
        case .locked:
            "the ledger \(path) is locked by another program" + (heldBy.isEmpty ? "" : " (open in \(heldBy.joined(separator: ", ")))") +
                " and stayed locked for 10 s (\(message)). Close that program (a sqlite3 shell, a backup or sync tool) and start " +
                "Hafen again; Hafen never writes past the lock, and a running daemon retries by itself."
        case .other:
            "the ledger \(path): \(message)"
        }
    }
}
