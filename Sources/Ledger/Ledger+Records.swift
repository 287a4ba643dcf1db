import Foundation
import GRDB

extension Ledger {
    /// The last pushed state of these keys in one shop, by key (keys never pushed are absent).
    /// Reads in slices, so a file of any size costs a few queries, not one per key.
    public func recordStates(shop: String, kind: String, keys: [String]) throws(LedgerError) -> [String: RecordState] {
        try read { db in
            var states: [String: RecordState] = [:]
            var start = keys.startIndex
            while start < keys.endIndex {
                let slice = keys[start..<min(start + 500, keys.endIndex)]
                start = slice.endIndex
                let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
                let rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM record_state WHERE shop = ? AND kind = ? AND key IN (\(marks))",
                    arguments: StatementArguments([shop, kind] + slice.map { $0 as (any DatabaseValueConvertible) }))
                for row in rows {
                    let state = Self.recordState(row)
                    states[state.key] = state
                }
            }
            return states
        }
    }

    /// Every key of a kind pushed to a shop, with its last content: for finding objects a full
    /// export no longer has.
    public func recordStates(shop: String, kind: String) throws(LedgerError) -> [RecordState] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM record_state WHERE shop = ? AND kind = ? ORDER BY key", arguments: [shop, kind])
                .map(Self.recordState)
        }
    }

    /// Records what was pushed (insert or replace), all in one transaction.
    public func recordPushed(_ states: [RecordState]) throws(LedgerError) {
        try write { db in
            for state in states {
                let ids = String(decoding: try JSONSerialization.data(withJSONObject: state.remoteIDs, options: [.sortedKeys]), as: UTF8.self)
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO record_state (shop, kind, key, content_hash, content, remote_ids, pushed_at, file_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [state.shop, state.kind, state.key, state.contentHash, state.content, ids, state.pushedAt, state.fileID])
            }
        }
    }

    static func recordState(_ row: Row) -> RecordState {
        let idsText: String = row["remote_ids"]
        let ids = (try? JSONSerialization.jsonObject(with: Data(idsText.utf8))) as? [String: String] ?? [:]
        return RecordState(
            shop: row["shop"], kind: row["kind"], key: row["key"], contentHash: row["content_hash"], content: row["content"],
            remoteIDs: ids, pushedAt: row["pushed_at"], fileID: row["file_id"])
    }
}
