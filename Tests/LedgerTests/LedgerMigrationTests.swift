import Foundation
import GRDB
import HafenTesting
@testable import Ledger
import Testing

@Suite struct LedgerMigrationTests {
    @Test func upgradesAVersion1LedgerWithoutLosingFilesReceiptsOrActivity() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file(".hafen/ledger.sqlite")
        do {
            let old = try DatabaseQueue(path: path)
            try Ledger.migrator.migrate(old, upTo: "v1: files, receipts, activity")
            try old.write { db in
                try db.execute(sql: """
                    INSERT INTO files (flow, source, name, received_at, state, work_path, final_path, placed)
                    VALUES ('stock', 'local:inbox/stock', 'a.csv', '2026-11-01 10:00:00.000', 'done', 'w/a.csv', 'archive/a.csv', 1);
                    INSERT INTO receipts (file_id, path, json) VALUES (1, 'outbox/receipts/stock/a.csv.receipt.json', '{}');
                    INSERT INTO activity (at, file_id, flow, event, message) VALUES ('2026-11-01 10:00:01.000', 1, 'stock', 'done', 'done');
                    """)
            }
        }
        let ledger = try Ledger(path: path)
        let kept = try #require(try ledger.entry(1))
        #expect(kept.name == "a.csv" && kept.state == .done)
        #expect(try ledger.receipt(for: 1)?.json == "{}")
        #expect(try ledger.activity(fileID: 1).count == 1)

        let entry = try ledger.register(flow: "stock", source: "local:inbox/stock", name: "b.csv", workPath: "w/b.csv", size: 3)
        try ledger.markReturned(entry.id, to: "inbox/stock/b.csv", reason: "size 3 → 9 bytes")
        #expect(try ledger.entry(entry.id)?.state == .returned)
        #expect(try ledger.unfinished().map(\.id) == [entry.id], "returned but not yet moved back")
    }
}
