import Foundation
import HafenTesting
import Ledger
import Testing

/// The ledger damaged or locked by another program: Hafen refuses with a message that says what
/// to do, never overwrites or recreates the file, and takes no file from an inbox meanwhile; a
/// lock taken while a daemon runs is waited out, and the file that arrived meanwhile is
/// processed once.
@Suite(.serialized)
struct LedgerFaultTests {
    /// A harness whose ledger exists (one file processed), for the faults to be applied to.
    static func harnessWithLedger() throws -> GatewayHarness {
        let h = try GatewayHarness()
        try h.drop(sample: "stock-20261122.csv", into: "stock")
        let first = try h.hafen(["run", "--once"])
        #expect(first.status == 0, "\(first.stderr)")
        return h
    }

    static func ledgerPath(_ h: GatewayHarness) -> String { h.dir.file(".hafen/ledger.sqlite") }

    /// A process that holds an exclusive lock on the ledger until it is stopped.
    static func lockHolder(_ path: String, ready: String) throws -> ChildProcess {
        let script = """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute('BEGIN EXCLUSIVE')
            open(sys.argv[2], 'w').write('locked')
            time.sleep(600)
            """
        let holder = try ChildProcess(["/usr/bin/python3", "-c", script, path, ready])
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: ready), Date() < deadline { usleep(50_000) }
        #expect(FileManager.default.fileExists(atPath: ready), "the lock holder did not start")
        return holder
    }

    @Test(arguments: ["text", "pages"])
    func refusesADamagedLedgerAndLeavesItAsItWas(damage: String) throws {
        let h = try Self.harnessWithLedger()
        let path = Self.ledgerPath(h)
        if damage == "text" {
            try Data(String(repeating: "an export someone saved over the ledger\n", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        } else {
            // Pages 3–5 overwritten: the header is intact, the b-trees are not.
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seek(toOffset: 2 * 4096)
            try handle.write(contentsOf: Data((0..<3 * 4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }))
            try handle.close()
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        try h.drop(sample: "stock-with-errors.csv", into: "stock")
        for command in [["run", "--once"], ["status"], ["reprocess", "1"]] {
            let result = try h.hafen(command)
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("ledger.sqlite is damaged") && result.stderr.contains("Restore it from a backup"), "\(command): \(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "the damaged ledger is never written")
        #expect(h.dir.list("inbox/stock") == ["stock-with-errors.csv"], "no file is taken without a ledger")
        #expect(h.dir.list(".hafen/processing/stock").isEmpty)
    }

    @Test func aLockedLedgerIsRefusedNamingTheProgramThatHoldsIt() throws {
        let h = try Self.harnessWithLedger()
        try h.drop(sample: "stock-with-errors.csv", into: "stock")
        let holder = try Self.lockHolder(Self.ledgerPath(h), ready: h.dir.file("locked"))
        let refused = try h.hafen(["run", "--once"])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("is locked by another program (open in pid \(holder.pid) (python3))"), "\(refused.stderr)")
        #expect(refused.stderr.contains("stayed locked for 10 s"), "\(refused.stderr)")
        #expect(h.dir.list("inbox/stock") == ["stock-with-errors.csv"], "nothing is taken while the ledger is locked")
        _ = holder.stop(grace: 1)
        let after = try h.hafen(["run", "--once"])
        #expect(after.status == 0, "a partial file (skip-rows): \(after.stderr)")
        let files = try Ledger(path: Self.ledgerPath(h)).files(limit: 10)
        let names = files.map(\.name).sorted()
        let expected = ["stock-20261122.csv", "stock-with-errors.csv"]
        #expect(names == expected)
        #expect(files.allSatisfy { $0.placed })
    }

    @Test func aDaemonWaitsOutALockTakenWhileItRunsAndProcessesTheFileOnce() async throws {
        let h = try Self.harnessWithLedger()
        let daemon = try DaemonProcess(configPath: h.configPath, in: h.dir.path)
        try await Task.sleep(for: .seconds(1))
        let holder = try Self.lockHolder(Self.ledgerPath(h), ready: h.dir.file("locked"))
        try h.drop(sample: "stock-with-errors.csv", into: "stock")
        // Longer than the 10 s busy timeout: the claim's ledger write fails at least once.
        try await Task.sleep(for: .seconds(13))
        let during = try String(contentsOfFile: daemon.logPath, encoding: .utf8)
        #expect(during.contains("database is locked"), "the operator is told while it lasts: \(during.suffix(2000))")
        #expect(try Ledger(path: Self.ledgerPath(h)).files(limit: 10).count == 1, "nothing was recorded past the lock")
        _ = holder.stop(grace: 1)
        let deadline = Date().addingTimeInterval(30)
        var files: [FileEntry] = []
        while Date() < deadline {
            files = try Ledger(path: Self.ledgerPath(h)).files(limit: 10)
            if files.count == 2, files.allSatisfy(\.placed) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let names = files.map(\.name).sorted()
        let expected = ["stock-20261122.csv", "stock-with-errors.csv"]
        #expect(names == expected)
        #expect(files.allSatisfy { $0.placed })
        #expect(h.dir.list("inbox/stock").isEmpty && h.dir.list(".hafen/processing/stock").isEmpty)
        #expect(daemon.terminate(within: 15) == 0, "the daemon lived through the lock")
    }
}
