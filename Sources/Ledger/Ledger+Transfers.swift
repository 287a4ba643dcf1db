public import Foundation
import GRDB

/// The transfer ledger: every file fetched from or delivered to an SFTP partner.
extension Ledger {
    /// Records a finished download and registers the file it brought, in one transaction: the
    /// file is in the work area and the remote copy is not yet moved (state `fetched`).
    public func registerFetched(
        _ transfer: Transfer, source: String, name: String, workPath: String, note: String? = nil
    ) throws(LedgerError) -> (FileEntry, Transfer) {
        try write { db in
            let file = try Self.insertFile(
                db, flow: transfer.flow, source: source, name: name, workPath: workPath, size: transfer.size, at: transfer.createdAt,
                message: "\(name) fetched from \(transfer.partner):\(transfer.remotePath) (\(transfer.size ?? 0) bytes, sha256 \(transfer.sha256 ?? "?"))"
                    + (note.map { "; \($0)" } ?? ""))
            var stored = transfer
            stored.fileID = file.id
            stored.state = .fetched
            stored.id = try Self.insert(stored, db: db)
            return (file, stored)
        }
    }

    /// Queues an outbound transfer (state `pending`).
    @discardableResult
    public func queueTransfer(_ transfer: Transfer) throws(LedgerError) -> Transfer {
        try write { db in
            var stored = transfer
            stored.state = .pending
            stored.id = try Self.insert(stored, db: db)
            return stored
        }
    }

    /// The transfer is complete: delivered, or (inbound) the remote copy dealt with.
    public func finishTransfer(_ id: Int64, disposition: String?, at date: Date = Date()) throws(LedgerError) {
        try write { db in
            try db.execute(
                sql: "UPDATE transfers SET state = 'done', disposition = COALESCE(?, disposition), last_error = NULL, finished_at = ? WHERE id = ?",
                arguments: [disposition, date, id])
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM transfers WHERE id = ?", arguments: [id]) {
                let transfer = Self.transfer(row)
                let message = transfer.direction == .inbound
                    ? "\(transfer.partner):\(transfer.remotePath) \(transfer.disposition.map { $0 == "kept" || $0 == "deleted" ? $0 : "moved to \($0)" } ?? "done")"
                    : "delivered to \(transfer.partner):\(transfer.remotePath)" + (transfer.disposition.map { " (\($0))" } ?? "")
                try Self.log(db, fileID: transfer.fileID, flow: transfer.flow, event: "transfer", message: message)
            }
        }
    }

    /// Counts a failed attempt; `final` marks it failed for good (it needs an admin).
    public func transferAttemptFailed(_ id: Int64, error: String, final: Bool = false) throws(LedgerError) {
        try write { db in
            try db.execute(
                sql: "UPDATE transfers SET attempts = attempts + 1, last_error = ?, state = CASE WHEN ? THEN 'failed' ELSE state END WHERE id = ?",
                arguments: [error, final, id])
            if final, let row = try Row.fetchOne(db, sql: "SELECT * FROM transfers WHERE id = ?", arguments: [id]) {
                let transfer = Self.transfer(row)
                try Self.log(db, fileID: transfer.fileID, flow: transfer.flow, event: "transfer failed", message: "\(transfer.partner):\(transfer.remotePath): \(error)")
            }
        }
    }

    /// The latest inbound transfer of this remote file as it was listed (same size and time).
    public func inboundTransfer(flow: String, remotePath: String, size: Int64, modified: Int64) throws(LedgerError) -> Transfer? {
        try read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM transfers WHERE direction = 'in' AND flow = ? AND remote_path = ? AND size = ? AND modified = ?
                    ORDER BY id DESC LIMIT 1
                    """,
                arguments: [flow, remotePath, size, modified]
            ).map(Self.transfer)
        }
    }

    /// Transfers in a state, oldest first (`pending` outbound ones are waiting for delivery).
    public func transfers(state: Transfer.State, direction: Transfer.Direction? = nil) throws(LedgerError) -> [Transfer] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM transfers WHERE state = ? AND (? IS NULL OR direction = ?) ORDER BY id",
                arguments: [state.rawValue, direction?.rawValue, direction?.rawValue]
            ).map(Self.transfer)
        }
    }

    /// The transfers of one ledger file (its download, its receipts) or of one export file.
    public func transfers(fileID: Int64? = nil, exportFileID: Int64? = nil) throws(LedgerError) -> [Transfer] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM transfers WHERE file_id = ? OR export_file_id = ? ORDER BY id", arguments: [fileID, exportFileID]
            ).map(Self.transfer)
        }
    }

    /// The latest transfers, newest first.
    public func recentTransfers(limit: Int = 50) throws(LedgerError) -> [Transfer] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM transfers ORDER BY id DESC LIMIT ?", arguments: [limit]).map(Self.transfer)
        }
    }

    /// Puts failed outbound transfers back in the queue (after an admin moved a conflicting
    /// file aside); answers how many.
    @discardableResult
    public func retryFailedTransfers() throws(LedgerError) -> Int {
        try write { db in
            try db.execute(sql: "UPDATE transfers SET state = 'pending' WHERE state = 'failed' AND direction = 'out'")
            return db.changesCount
        }
    }

    private static func insert(_ t: Transfer, db: Database) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO transfers (direction, partner, flow, kind, remote_path, local_path, size, modified, sha256, file_id, export_file_id,
                    state, attempts, last_error, disposition, created_at, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [t.direction.rawValue, t.partner, t.flow, t.kind, t.remotePath, t.localPath, t.size, t.modified, t.sha256, t.fileID,
                        t.exportFileID, t.state.rawValue, t.attempts, t.lastError, t.disposition, t.createdAt, t.finishedAt])
        return db.lastInsertedRowID
    }

    static func transfer(_ row: Row) -> Transfer {
        Transfer(
            id: row["id"], direction: Transfer.Direction(rawValue: row["direction"]) ?? .inbound, partner: row["partner"], flow: row["flow"],
            kind: row["kind"], remotePath: row["remote_path"], localPath: row["local_path"], size: row["size"], modified: row["modified"],
            sha256: row["sha256"], fileID: row["file_id"], exportFileID: row["export_file_id"],
            state: Transfer.State(rawValue: row["state"]) ?? .failed, attempts: row["attempts"], lastError: row["last_error"],
            disposition: row["disposition"], createdAt: row["created_at"], finishedAt: row["finished_at"])
    }
}
