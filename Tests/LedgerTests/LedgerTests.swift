import Foundation
import HafenTesting
import Ledger
import Testing

@Suite struct LedgerTests {
    func outcome(_ state: FileState, duplicateOf: Int64? = nil) -> FileOutcome {
        FileOutcome(state: state, duplicateOf: duplicateOf, rowsRead: 3, rowsValid: 3, rowsRejected: 0,
                    finalPath: "archive/x", receiptJSON: "{}", receiptPath: "outbox/receipts/x.json")
    }

    @Test func keepsOutcomesAcrossReopening() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file(".hafen/ledger.sqlite")
        do {
            let ledger = try Ledger(path: path)
            let entry = try ledger.register(flow: "stock", source: "local:inbox/stock", name: "a.csv", workPath: "w/a.csv", size: 10)
            try ledger.recordChecksum(entry.id, sha256: "abc123", size: 10)
            try ledger.complete(entry.id, with: outcome(.done))
            try ledger.markPlaced(entry.id)
        }
        let reopened = try Ledger(path: path)
        let entry = try #require(try reopened.entry(1))
        #expect(entry.state == .done)
        #expect(entry.placed)
        #expect(try reopened.receipt(for: 1)?.json == "{}")
        #expect(try reopened.unfinished().isEmpty)
    }

    @Test func findsTheFirstAppliedFileWithTheSameBytesInTheSameFlowOnly() throws {
        let dir = try TemporaryDirectory()
        let ledger = try Ledger(path: dir.file("l.sqlite"))
        let failed = try ledger.register(flow: "stock", source: "s", name: "a.csv", workPath: "w", size: 1)
        try ledger.recordChecksum(failed.id, sha256: "feed", size: 1)
        try ledger.complete(failed.id, with: outcome(.failed))
        #expect(try ledger.firstApplied(sha256: "feed", flow: "stock") == nil)
        let done = try ledger.register(flow: "stock", source: "s", name: "a.csv", workPath: "w", size: 1, retryOf: failed.id)
        #expect(done.attempt == 2)
        try ledger.recordChecksum(done.id, sha256: "feed", size: 1)
        try ledger.complete(done.id, with: outcome(.done))
        #expect(try ledger.firstApplied(sha256: "feed", flow: "stock")?.id == done.id)
        #expect(try ledger.firstApplied(sha256: "feed", flow: "products") == nil)
    }

    @Test func listsClaimsThatNeverFinished() throws {
        let dir = try TemporaryDirectory()
        let ledger = try Ledger(path: dir.file("l.sqlite"))
        let a = try ledger.register(flow: "f", source: "s", name: "a", workPath: "w/a", size: 1)
        let b = try ledger.register(flow: "f", source: "s", name: "b", workPath: "w/b", size: 1)
        try ledger.complete(b.id, with: outcome(.done))  // committed but not yet moved
        #expect(try ledger.unfinished().map(\.id) == [a.id, b.id])
    }

    @Test func findsFilesByIdNameOrChecksumPrefix() throws {
        let dir = try TemporaryDirectory()
        let ledger = try Ledger(path: dir.file("l.sqlite"))
        let a = try ledger.register(flow: "f", source: "s", name: "stock.csv", workPath: "w", size: 1)
        try ledger.recordChecksum(a.id, sha256: "0123456789abcdef", size: 1)
        #expect(try ledger.find("1").map(\.id) == [a.id])
        #expect(try ledger.find("stock.csv").map(\.id) == [a.id])
        #expect(try ledger.find("0123456").map(\.id) == [a.id])
        #expect(try ledger.find("01234").isEmpty)
    }

    @Test func refusesADamagedLedgerInsteadOfRecreatingIt() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("l.sqlite")
        do {
            let ledger = try Ledger(path: path)
            for i in 0..<200 { try ledger.register(flow: "f", source: "s", name: "file-\(i)", workPath: "w", size: 1) }
        }
        // Checkpoint the WAL into the main file, then overwrite pages in the middle with garbage.
        try? FileManager.default.removeItem(atPath: path + "-wal")
        try? FileManager.default.removeItem(atPath: path + "-shm")
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: 4096 * 2)
        handle.write(Data(repeating: 0xA5, count: 4096 * 3))
        try handle.close()
        #expect(throws: LedgerError.self) { _ = try Ledger(path: path) }
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
