import GRDB

extension Ledger {
    /// The ledger's schema, one migration per released change; never edit a released one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: files, receipts, activity") { db in
            try db.execute(sql: """
                CREATE TABLE files (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    flow TEXT NOT NULL,
                    source TEXT NOT NULL,
                    name TEXT NOT NULL,
                    size INTEGER,
                    sha256 TEXT,
                    received_at DATETIME NOT NULL,
                    finished_at DATETIME,
                    state TEXT NOT NULL CHECK (state IN ('received','processing','done','partial','failed','duplicate')),
                    attempt INTEGER NOT NULL DEFAULT 1,
                    retry_of INTEGER REFERENCES files(id),
                    duplicate_of INTEGER REFERENCES files(id),
                    work_path TEXT NOT NULL,
                    final_path TEXT,
                    rejected_path TEXT,
                    rows_read INTEGER,
                    rows_valid INTEGER,
                    rows_rejected INTEGER,
                    error_summary TEXT,
                    placed INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX files_by_sha ON files(flow, sha256, state);
                CREATE INDEX files_by_name ON files(flow, name);
                CREATE INDEX files_in_flight ON files(placed, state);
                CREATE TABLE receipts (
                    file_id INTEGER PRIMARY KEY REFERENCES files(id),
                    path TEXT NOT NULL,
                    json TEXT NOT NULL
                );
                CREATE TABLE activity (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at DATETIME NOT NULL,
                    file_id INTEGER REFERENCES files(id),
                    flow TEXT,
                    event TEXT NOT NULL,
                    message TEXT NOT NULL
                );
                CREATE INDEX activity_by_file ON activity(file_id);
                """)
        }
        migrator.registerMigration("v2: returned and held states") { db in
            // SQLite cannot change a CHECK constraint in place: rebuild the table (GRDB runs
            // migrations with foreign-key checks deferred, so the references survive).
            let columns = "id, flow, source, name, size, sha256, received_at, finished_at, state, attempt, retry_of, duplicate_of, "
                + "work_path, final_path, rejected_path, rows_read, rows_valid, rows_rejected, error_summary, placed"
            try db.execute(sql: """
                CREATE TABLE files_v2 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    flow TEXT NOT NULL,
                    source TEXT NOT NULL,
                    name TEXT NOT NULL,
                    size INTEGER,
                    sha256 TEXT,
                    received_at DATETIME NOT NULL,
                    finished_at DATETIME,
                    state TEXT NOT NULL CHECK (state IN ('received','processing','done','partial','failed','duplicate','returned','held')),
                    attempt INTEGER NOT NULL DEFAULT 1,
                    retry_of INTEGER REFERENCES files(id),
                    duplicate_of INTEGER REFERENCES files(id),
                    work_path TEXT NOT NULL,
                    final_path TEXT,
                    rejected_path TEXT,
                    rows_read INTEGER,
                    rows_valid INTEGER,
                    rows_rejected INTEGER,
                    error_summary TEXT,
                    placed INTEGER NOT NULL DEFAULT 0
                );
                INSERT INTO files_v2 (\(columns)) SELECT \(columns) FROM files;
                DROP TABLE files;
                ALTER TABLE files_v2 RENAME TO files;
                CREATE INDEX files_by_sha ON files(flow, sha256, state);
                CREATE INDEX files_by_name ON files(flow, name);
                CREATE INDEX files_in_flight ON files(placed, state);
                """)
        }
        migrator.registerMigration("v3: record state") { db in
            try db.execute(sql: """
                CREATE TABLE record_state (
                    shop TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    key TEXT NOT NULL,
                    content_hash TEXT NOT NULL,
                    content TEXT NOT NULL,
                    remote_ids TEXT NOT NULL DEFAULT '{}',
                    pushed_at DATETIME NOT NULL,
                    file_id INTEGER REFERENCES files(id),
                    PRIMARY KEY (shop, kind, key)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v4: exports, cursors, webhook events") { db in
            try db.execute(sql: """
                CREATE TABLE export_files (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    flow TEXT NOT NULL,
                    name TEXT NOT NULL,
                    path TEXT NOT NULL,
                    temp_path TEXT NOT NULL,
                    size INTEGER,
                    sha256 TEXT,
                    records INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('writing','written','delivered','abandoned')),
                    created_at DATETIME NOT NULL,
                    written_at DATETIME,
                    delivered_at DATETIME,
                    delivered_by TEXT
                );
                CREATE INDEX export_files_by_state ON export_files(state);
                CREATE TABLE exports (
                    flow TEXT NOT NULL,
                    object_id TEXT NOT NULL,
                    version TEXT NOT NULL,
                    object_name TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('original','amendment','cancellation','reexport','unchanged','review','failed')),
                    content_hash TEXT NOT NULL,
                    note TEXT,
                    file_id INTEGER REFERENCES export_files(id),
                    at DATETIME NOT NULL,
                    PRIMARY KEY (flow, object_id, version)
                ) WITHOUT ROWID;
                CREATE INDEX exports_by_file ON exports(file_id);
                CREATE TABLE cursors (
                    flow TEXT PRIMARY KEY,
                    updated_at TEXT NOT NULL,
                    object_id TEXT NOT NULL,
                    at DATETIME NOT NULL
                );
                CREATE TABLE webhook_events (
                    webhook_id TEXT PRIMARY KEY,
                    shop TEXT NOT NULL,
                    topic TEXT NOT NULL,
                    object_id TEXT NOT NULL,
                    received_at DATETIME NOT NULL,
                    handled_at DATETIME
                );
                CREATE INDEX webhook_events_open ON webhook_events(handled_at);
                """)
        }
        migrator.registerMigration("v5: SFTP transfers") { db in
            try db.execute(sql: """
                CREATE TABLE transfers (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    direction TEXT NOT NULL CHECK (direction IN ('in','out')),
                    partner TEXT NOT NULL,
                    flow TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    remote_path TEXT NOT NULL,
                    local_path TEXT,
                    size INTEGER,
                    modified INTEGER,
                    sha256 TEXT,
                    file_id INTEGER REFERENCES files(id),
                    export_file_id INTEGER REFERENCES export_files(id),
                    state TEXT NOT NULL CHECK (state IN ('fetched','pending','done','failed')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    disposition TEXT,
                    created_at DATETIME NOT NULL,
                    finished_at DATETIME
                );
                CREATE INDEX transfers_by_remote ON transfers(flow, remote_path, size, modified);
                CREATE INDEX transfers_open ON transfers(state);
                CREATE INDEX transfers_by_file ON transfers(file_id);
                """)
        }
        return migrator
    }
}

extension FileEntry {
    init(row: Row) {
        self.init(
            id: row["id"], flow: row["flow"], source: row["source"], name: row["name"], size: row["size"],
            sha256: row["sha256"], receivedAt: row["received_at"], finishedAt: row["finished_at"],
            state: FileState(rawValue: row["state"]) ?? .failed, attempt: row["attempt"], retryOf: row["retry_of"],
            duplicateOf: row["duplicate_of"], workPath: row["work_path"], finalPath: row["final_path"],
            rejectedPath: row["rejected_path"], rowsRead: row["rows_read"], rowsValid: row["rows_valid"],
            rowsRejected: row["rows_rejected"], errorSummary: row["error_summary"], placed: row["placed"])
    }
}

extension Activity {
    init(row: Row) {
        self.init(id: row["id"], at: row["at"], fileID: row["file_id"], flow: row["flow"], event: row["event"], message: row["message"])
    }
}
