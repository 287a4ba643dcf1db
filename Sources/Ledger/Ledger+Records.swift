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
            // One prepared statement for all rows: a first stock push records 100,000 of them.
            let statement = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO record_state (shop, kind, key, content_hash, content, remote_ids, pushed_at, file_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for state in states {
                try statement.execute(arguments: [
                    state.shop, state.kind, state.key, state.contentHash, state.content, Self.json(state.remoteIDs), state.pushedAt, state.fileID,
                ])
            }
        }
    }

    static func recordState(_ row: Row) -> RecordState {
        let idsText: String = row["remote_ids"]
        let ids = parseIDs(idsText) ?? (try? JSONSerialization.jsonObject(with: Data(idsText.utf8))) as? [String: String] ?? [:]
        return RecordState(
            shop: row["shop"], kind: row["kind"], key: row["key"], contentHash: row["content_hash"], content: row["content"],
            remoteIDs: ids, pushedAt: row["pushed_at"], fileID: row["file_id"])
    }

    /// `{"a":"b"}` with sorted keys: ids are plain strings, so this small writer is exact and
    /// far cheaper than JSONSerialization per row.
    static func json(_ ids: [String: String]) -> String {
        var out = "{"
        for (index, key) in ids.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            out += quoted(key) + ":" + quoted(ids[key]!)
        }
        return out + "}"
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Reads what `json(_:)` wrote (a flat object of strings without escapes, as shop ids are);
    /// nil for anything else, which the caller hands to JSONSerialization.
    static func parseIDs(_ text: String) -> [String: String]? {
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}"), !bytes.contains(UInt8(ascii: "\\")) else { return nil }
        var ids: [String: String] = [:]
        var index = 1
        func string() -> String? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            let start = index + 1
            guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            index = end + 1
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
        while index < bytes.count - 1 {
            guard let key = string(), index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            guard let value = string() else { return nil }
            ids[key] = value
            if bytes[index] == UInt8(ascii: ",") { index += 1 } else if index != bytes.count - 1 { return nil }
        }
        return ids
    }
}
