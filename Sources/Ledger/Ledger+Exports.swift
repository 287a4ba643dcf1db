public import Foundation
import GRDB

/// The export ledger: outbound files with their checksums, which shop object version went into
/// which file, where polling resumes, and received webhooks.
extension Ledger {
    /// Starts an outbound file whose content is known (its size and checksum): the row exists
    /// before the first byte is written, so a crash at any later point is found and put right on
    /// restart. The records are claimed with it, in one transaction: the same object version can
    /// never be claimed by two files.
    public func beginExportFile(
        flow: String, name: String, path: String, temporaryPath: String, size: Int64, sha256: String, records: [ExportRecord]
    ) throws(LedgerError) -> Int64 {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO export_files (flow, name, path, temp_path, size, sha256, records, state, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'writing', ?)
                    """,
                arguments: [flow, name, path, temporaryPath, size, sha256, records.count, Date()])
            let id = db.lastInsertedRowID
            try insert(records, fileID: id, db: db)
            return id
        }
    }

    /// The file is in place in the outbox.
    public func completeExportFile(id: Int64) throws(LedgerError) {
        try write { db in
            try db.execute(sql: "UPDATE export_files SET state = 'written', written_at = ? WHERE id = ?", arguments: [Date(), id])
        }
    }

    /// An interrupted file was cleaned up: its records are released to be exported again.
    public func abandonExportFile(id: Int64) throws(LedgerError) {
        try write { db in
            try db.execute(sql: "DELETE FROM exports WHERE file_id = ?", arguments: [id])
            try db.execute(sql: "UPDATE export_files SET state = 'abandoned' WHERE id = ?", arguments: [id])
        }
    }

    /// The ERP took the file (`ack` or `removed`).
    public func markDelivered(id: Int64, by: String) throws(LedgerError) {
        try write { db in
            try db.execute(
                sql: "UPDATE export_files SET state = 'delivered', delivered_at = ?, delivered_by = ? WHERE id = ? AND state = 'written'",
                arguments: [Date(), by, id])
        }
    }

    /// Records object versions that produced no file (`unchanged`, `review`).
    public func recordExports(_ records: [ExportRecord]) throws(LedgerError) {
        try write { db in try insert(records, fileID: nil, db: db) }
    }

    private func insert(_ records: [ExportRecord], fileID: Int64?, db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO exports (flow, object_id, version, object_name, kind, content_hash, file_id, at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for record in records {
            try statement.execute(arguments: [
                record.flow, record.objectID, record.version, record.objectName, record.kind.rawValue, record.contentHash, fileID ?? record.fileID, record.at, record.note,
            ])
        }
    }

    /// Files in a state, oldest first.
    public func exportFiles(state: ExportFileState) throws(LedgerError) -> [ExportFile] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM export_files WHERE state = ? ORDER BY id", arguments: [state.rawValue]).map(Self.exportFile)
        }
    }

    /// The newest outbound files, newest first (optionally of one flow).
    public func recentExportFiles(flow: String? = nil, limit: Int = 50) throws(LedgerError) -> [ExportFile] {
        try read { db in
            if let flow {
                return try Row.fetchAll(db, sql: "SELECT * FROM export_files WHERE flow = ? ORDER BY id DESC LIMIT ?", arguments: [flow, limit])
                    .map(Self.exportFile)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM export_files ORDER BY id DESC LIMIT ?", arguments: [limit]).map(Self.exportFile)
        }
    }

    public func exportFile(id: Int64) throws(LedgerError) -> ExportFile? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM export_files WHERE id = ?", arguments: [id]).map(Self.exportFile) }
    }

    /// Every recorded version of these objects in a flow, oldest first, by object id.
    public func exportHistory(flow: String, objectIDs: [String]) throws(LedgerError) -> [String: [ExportRecord]] {
        try read { db in
            var history: [String: [ExportRecord]] = [:]
            var start = objectIDs.startIndex
            while start < objectIDs.endIndex {
                let slice = objectIDs[start..<min(start + 500, objectIDs.endIndex)]
                start = slice.endIndex
                let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
                let rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM exports WHERE flow = ? AND object_id IN (\(marks)) ORDER BY at, version",
                    arguments: StatementArguments([flow] + slice.map { $0 as (any DatabaseValueConvertible) }))
                for row in rows {
                    let record = Self.exportRecord(row)
                    history[record.objectID, default: []].append(record)
                }
            }
            return history
        }
    }

    /// Objects whose newest version waits for an admin (`review`) or could not be written
    /// (`failed`), newest first.
    public func exportsNeedingAttention(flow: String? = nil) throws(LedgerError) -> [ExportRecord] {
        try read { db in
            let sql = """
                SELECT e.* FROM exports e WHERE e.kind IN ('review','failed') \(flow == nil ? "" : "AND e.flow = ?")
                AND NOT EXISTS (SELECT 1 FROM exports later WHERE later.flow = e.flow AND later.object_id = e.object_id
                                AND later.at > e.at)
                ORDER BY e.at DESC
                """
            return try Row.fetchAll(db, sql: sql, arguments: flow.map { [$0] } ?? []).map(Self.exportRecord)
        }
    }

    /// The records a file holds.
    public func exportRecords(fileID: Int64) throws(LedgerError) -> [ExportRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM exports WHERE file_id = ? ORDER BY object_name", arguments: [fileID]).map(Self.exportRecord)
        }
    }

    public func cursor(flow: String) throws(LedgerError) -> ExportCursor? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM cursors WHERE flow = ?", arguments: [flow]).map {
                ExportCursor(updatedAt: $0["updated_at"], objectID: $0["object_id"])
            }
        }
    }

    public func setCursor(flow: String, _ cursor: ExportCursor) throws(LedgerError) {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO cursors (flow, updated_at, object_id, at) VALUES (?, ?, ?, ?)",
                arguments: [flow, cursor.updatedAt, cursor.objectID, Date()])
        }
    }

    /// Stores a webhook once; false when its id was seen before (a duplicate delivery).
    public func recordWebhook(_ event: WebhookEvent) throws(LedgerError) -> Bool {
        try write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO webhook_events (webhook_id, shop, topic, object_id, received_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [event.webhookID, event.shop, event.topic, event.objectID, event.receivedAt])
            return db.changesCount == 1
        }
    }

    /// Webhooks received and not yet handled, oldest first.
    public func openWebhooks() throws(LedgerError) -> [WebhookEvent] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM webhook_events WHERE handled_at IS NULL ORDER BY received_at").map {
                WebhookEvent(webhookID: $0["webhook_id"], shop: $0["shop"], topic: $0["topic"], objectID: $0["object_id"], receivedAt: $0["received_at"])
            }
        }
    }

    public func markWebhooksHandled(_ ids: [String]) throws(LedgerError) {
        try write { db in
            for id in ids {
                try db.execute(sql: "UPDATE webhook_events SET handled_at = ? WHERE webhook_id = ?", arguments: [Date(), id])
            }
        }
    }

    static func exportFile(_ row: Row) -> ExportFile {
        ExportFile(
            id: row["id"], flow: row["flow"], name: row["name"], path: row["path"], temporaryPath: row["temp_path"], size: row["size"],
            sha256: row["sha256"], records: row["records"], state: ExportFileState(rawValue: row["state"]) ?? .abandoned,
            createdAt: row["created_at"], writtenAt: row["written_at"], deliveredAt: row["delivered_at"], deliveredBy: row["delivered_by"])
    }

    static func exportRecord(_ row: Row) -> ExportRecord {
        ExportRecord(
            flow: row["flow"], objectID: row["object_id"], version: row["version"], objectName: row["object_name"],
            kind: ExportKind(rawValue: row["kind"]) ?? .original, contentHash: row["content_hash"], fileID: row["file_id"], at: row["at"],
            note: row["note"])
    }
}

extension Ledger {
    /// The shop id of an order a flow recorded under this name (`#1001`).
    public func exportObjectID(flow: String, name: String) throws(LedgerError) -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT object_id FROM exports WHERE flow = ? AND object_name = ? ORDER BY at DESC LIMIT 1", arguments: [flow, name])
        }
    }
}

extension Ledger {
    /// Outbound files per export flow and state (`written`, `delivered`, …).
    public func exportCounts() throws(LedgerError) -> [String: [String: Int]] {
        try read { db in
            var counts: [String: [String: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT flow, state, COUNT(*) AS n FROM export_files GROUP BY flow, state") {
                counts[row["flow"], default: [:]][row["state"]] = row["n"]
            }
            return counts
        }
    }

    /// When each export flow's cursor last moved.
    public func cursorTimes() throws(LedgerError) -> [String: Date] {
        try read { db in
            var times: [String: Date] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT flow, at FROM cursors") { times[row["flow"]] = row["at"] }
            return times
        }
    }
}
