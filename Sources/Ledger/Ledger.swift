import Foundation
import GRDB

/// The SQLite ledger: every inbound file, its outcome and receipt, and an activity log.
///
/// WAL journal, `synchronous=FULL` (a committed outcome survives a power cut), a busy timeout
/// for concurrent readers such as `hafen status`, and `PRAGMA quick_check` on open: a damaged
/// ledger is refused, never silently recreated (that would forget which files were applied).
public final class Ledger: Sendable {
    let pool: DatabasePool
    public let path: String

    public init(path: String) throws(LedgerError) {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        // Checked before the pool opens: opening one writes (GRDB creates and drops a table to
        // make the WAL non-empty), and a damaged ledger must not be written at all.
        if FileManager.default.fileExists(atPath: path) { try Self.checkIntegrity(path) }
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw Self.wrap(error, path: path)
        }
        do {
            try Self.migrator.migrate(pool)
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    /// `PRAGMA quick_check` over a read-only connection.
    private static func checkIntegrity(_ path: String) throws(LedgerError) {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            let result = try queue.read { db in try String.fetchOne(db, sql: "PRAGMA quick_check") }
            try queue.close()
            if result != "ok" { throw LedgerError(kind: .corrupt, path: path, message: result ?? "no answer") }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    static func wrap(_ error: any Error, path: String) -> LedgerError {
        guard let db = error as? DatabaseError else { return LedgerError(kind: .other, path: path, message: "\(error)") }
        switch db.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return LedgerError(kind: .locked, path: path, message: db.message ?? "\(db.resultCode)")
        case .SQLITE_FULL, .SQLITE_IOERR:
            return LedgerError(kind: .transient, path: path, message: db.message ?? "\(db.resultCode)")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return LedgerError(kind: .corrupt, path: path, message: db.message ?? "\(db.resultCode)")
        default:
            return LedgerError(kind: .other, path: path, message: db.message ?? "\(db.resultCode)")
        }
    }

    /// Runs a write transaction, turning GRDB's errors into `LedgerError`.
    func write<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw Self.wrap(error, path: path)
        }
    }
}
