public import Foundation
import GRDB

extension Ledger {
    /// Records a file just claimed into the work area (state `received`).
    @discardableResult
    public func register(
        flow: String, source: String, name: String, workPath: String, size: Int64?, retryOf: Int64? = nil, at date: Date = Date()
    ) throws(LedgerError) -> FileEntry {
        try write { db in
            try Self.insertFile(db, flow: flow, source: source, name: name, workPath: workPath, size: size, retryOf: retryOf, at: date)
        }
    }

    /// The `received` row and its activity line, inside a caller's transaction.
    static func insertFile(
        _ db: Database, flow: String, source: String, name: String, workPath: String, size: Int64?, retryOf: Int64? = nil, at date: Date,
        message: String? = nil
    ) throws -> FileEntry {
        let attempt = try retryOf.flatMap { try Int.fetchOne(db, sql: "SELECT attempt FROM files WHERE id = ?", arguments: [$0]) }.map { $0 + 1 } ?? 1
        try db.execute(
            sql: """
                INSERT INTO files (flow, source, name, size, received_at, state, attempt, retry_of, work_path)
                VALUES (?, ?, ?, ?, ?, 'received', ?, ?, ?)
                """,
            arguments: [flow, source, name, size, date, attempt, retryOf, workPath])
        let id = db.lastInsertedRowID
        try log(db, fileID: id, flow: flow, event: retryOf == nil ? "received" : "reprocess",
                message: message ?? retryOf.map { "\(name): attempt \(attempt), repeating #\($0)" } ?? "\(name) claimed from \(source)")
        return try entry(db, id)!
    }

    /// Stores the checksum and size read from the claimed file (state `processing`).
    public func recordChecksum(_ id: Int64, sha256: String, size: Int64) throws(LedgerError) {
        try write { db in
            try db.execute(sql: "UPDATE files SET sha256 = ?, size = ?, state = 'processing' WHERE id = ?", arguments: [sha256, size, id])
        }
    }

    /// The first file of this flow with these bytes whose outcome was applied (done or partial).
    public func firstApplied(sha256: String, flow: String) throws(LedgerError) -> FileEntry? {
        try read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM files WHERE flow = ? AND sha256 = ? AND state IN ('done','partial') ORDER BY id LIMIT 1",
                arguments: [flow, sha256]
            ).map(FileEntry.init(row:))
        }
    }

    /// The latest earlier file of this flow with the same name but other content.
    public func previousWithSameName(as entry: FileEntry) throws(LedgerError) -> FileEntry? {
        try read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM files WHERE flow = ? AND name = ? AND id < ? AND sha256 IS NOT ? ORDER BY id DESC LIMIT 1",
                arguments: [entry.flow, entry.name, entry.id, entry.sha256]
            ).map(FileEntry.init(row:))
        }
    }

    /// Commits a file's outcome and receipt in one transaction. The file is moved afterwards
    /// (`markPlaced`), so a crash in between is finished on the next start, never lost.
    public func complete(_ id: Int64, with outcome: FileOutcome, at date: Date = Date()) throws(LedgerError) {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE files SET state = ?, duplicate_of = ?, rows_read = ?, rows_valid = ?, rows_rejected = ?,
                        error_summary = ?, final_path = ?, rejected_path = ?, finished_at = ?
                    WHERE id = ?
                    """,
                arguments: [outcome.state.rawValue, outcome.duplicateOf, outcome.rowsRead, outcome.rowsValid, outcome.rowsRejected,
                            outcome.errorSummary, outcome.finalPath, outcome.rejectedPath, date, id])
            try db.execute(
                sql: "INSERT OR REPLACE INTO receipts (file_id, path, json) VALUES (?, ?, ?)",
                arguments: [id, outcome.receiptPath, outcome.receiptJSON])
            let flow = try String.fetchOne(db, sql: "SELECT flow FROM files WHERE id = ?", arguments: [id])
            try Self.log(db, fileID: id, flow: flow, event: outcome.state.rawValue, message: outcome.errorSummary ?? outcome.state.rawValue)
        }
    }

    /// Records that a file changed while it was read and goes back to `inboxPath` to settle again
    /// (no receipt: nothing was decided). The move follows (`markPlaced`), as for `complete`.
    public func markReturned(_ id: Int64, to inboxPath: String, reason: String, at date: Date = Date()) throws(LedgerError) {
        try write { db in
            try db.execute(
                sql: "UPDATE files SET state = ?, error_summary = ?, final_path = ?, finished_at = ? WHERE id = ?",
                arguments: [FileState.returned.rawValue, reason, inboxPath, date, id])
            let flow = try String.fetchOne(db, sql: "SELECT flow FROM files WHERE id = ?", arguments: [id])
            try Self.log(db, fileID: id, flow: flow, event: FileState.returned.rawValue, message: reason)
        }
    }

    /// The newest file of a flow that was applied (done or partial) before `id`: the yardstick
    /// of the row-count safety valve.
    public func lastGood(flow: String, before id: Int64) throws(LedgerError) -> FileEntry? {
        try read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM files WHERE flow = ? AND id < ? AND state IN ('done','partial') ORDER BY id DESC LIMIT 1",
                arguments: [flow, id]
            ).map(FileEntry.init(row:))
        }
    }

    /// Notes that the file reached its final folder and its receipt was written.
    public func markPlaced(_ id: Int64) throws(LedgerError) {
        try write { db in try db.execute(sql: "UPDATE files SET placed = 1 WHERE id = ?", arguments: [id]) }
    }

    /// Files whose processing or placing never finished (a crash, a kill -9), oldest first.
    public func unfinished() throws(LedgerError) -> [FileEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM files WHERE placed = 0 ORDER BY id").map(FileEntry.init(row:))
        }
    }

    public func entry(_ id: Int64) throws(LedgerError) -> FileEntry? {
        try read { db in try Self.entry(db, id) }
    }

    static func entry(_ db: Database, _ id: Int64) throws -> FileEntry? {
        try Row.fetchOne(db, sql: "SELECT * FROM files WHERE id = ?", arguments: [id]).map(FileEntry.init(row:))
    }

    /// Files by ledger id, by name, or by SHA-256 prefix (at least 6 hex digits), newest first.
    public func find(_ reference: String) throws(LedgerError) -> [FileEntry] {
        try read { db in
            if let id = Int64(reference), let entry = try Self.entry(db, id) { return [entry] }
            var rows = try Row.fetchAll(db, sql: "SELECT * FROM files WHERE name = ? ORDER BY id DESC", arguments: [reference])
            if rows.isEmpty, reference.count >= 6, reference.allSatisfy(\.isHexDigit) {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM files WHERE sha256 LIKE ? ORDER BY id DESC", arguments: [reference.lowercased() + "%"])
            }
            return rows.map(FileEntry.init(row:))
        }
    }

    /// Files, newest first, optionally of one flow and state.
    public func files(flow: String? = nil, state: FileState? = nil, limit: Int = 50) throws(LedgerError) -> [FileEntry] {
        try read { db in
            var sql = "SELECT * FROM files WHERE 1"
            var arguments: StatementArguments = []
            if let flow {
                sql += " AND flow = ?"
                _ = arguments.append(contentsOf: [flow])
            }
            if let state {
                sql += " AND state = ?"
                _ = arguments.append(contentsOf: [state.rawValue])
            }
            sql += " ORDER BY id DESC LIMIT ?"
            _ = arguments.append(contentsOf: [limit])
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(FileEntry.init(row:))
        }
    }

    /// The stored receipt JSON of a file.
    public func receipt(for id: Int64) throws(LedgerError) -> (path: String, json: String)? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT path, json FROM receipts WHERE file_id = ?", arguments: [id]).map { ($0["path"], $0["json"]) }
        }
    }

    /// Counts per flow and state.
    public func summary() throws(LedgerError) -> [FlowSummary] {
        try read { db in
            var byFlow: [String: FlowSummary] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT flow, state, COUNT(*) AS n, MAX(finished_at) AS last FROM files GROUP BY flow, state") {
                let flow: String = row["flow"]
                var summary = byFlow[flow] ?? FlowSummary(flow: flow, counts: [:], lastFinishedAt: nil, inFlight: 0)
                let state: String = row["state"]
                let count: Int = row["n"]
                summary.counts[state] = count
                if !(FileState(rawValue: state)?.isFinal ?? true) { summary.inFlight += count }
                if let last: Date = row["last"], last > (summary.lastFinishedAt ?? .distantPast) { summary.lastFinishedAt = last }
                byFlow[flow] = summary
            }
            return byFlow.values.sorted { $0.flow < $1.flow }
        }
    }
}
