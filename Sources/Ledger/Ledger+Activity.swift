import GRDB

extension Ledger {
    /// Adds a line to the activity log.
    public func log(_ event: String, _ message: String, fileID: Int64? = nil, flow: String? = nil) throws(LedgerError) {
        try write { db in try Self.log(db, fileID: fileID, flow: flow, event: event, message: message) }
    }

    static func log(_ db: Database, fileID: Int64?, flow: String?, event: String, message: String) throws {
        try db.execute(
            sql: "INSERT INTO activity (at, file_id, flow, event, message) VALUES (?, ?, ?, ?, ?)",
            arguments: [Date(), fileID, flow, event, message])
    }

    /// The newest activity, optionally for one file.
    public func activity(fileID: Int64? = nil, limit: Int = 20) throws(LedgerError) -> [Activity] {
        try read { db in
            if let fileID {
                return try Row.fetchAll(db, sql: "SELECT * FROM activity WHERE file_id = ? ORDER BY id DESC LIMIT ?", arguments: [fileID, limit])
                    .map(Activity.init(row:))
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM activity ORDER BY id DESC LIMIT ?", arguments: [limit]).map(Activity.init(row:))
        }
    }
}

import Foundation
