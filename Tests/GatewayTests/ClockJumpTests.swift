import Foundation
import Gateway
import HTTPTypes
import HafenTesting
import Ledger
import Testing

/// The wall clock jumping back and forth (an NTP step, an admin setting the date, a VM resumed)
/// while files settle, for real: the daemon runs under libfaketime, whose offset the test
/// rewrites while an ERP is still writing its export. The monotonic clock is left alone, as the
/// kernel leaves it. Settling must go by the monotonic clock, so no file is taken half-written,
/// and every file must be applied once and in order.
@Suite(.serialized, .enabled(if: SharedFolder.testsEnabled, "../shared is absent; set HAFEN_SHARED or run in CI"))
struct ClockJumpTests {
    /// libfaketime, as Debian installs it (`make test` does).
    static let library = ["x86_64-linux-gnu", "aarch64-linux-gnu"].map { "/usr/lib/\($0)/faketime/libfaketime.so.1" }
        .first { FileManager.default.fileExists(atPath: $0) }

    /// The environment that puts a process's wall clock at the offset written in `file`
    /// (re-read at every call), with the monotonic clock and file times left real.
    static func fakeClock(_ file: String, library: String) -> [String: String] {
        ["LD_PRELOAD": library, "FAKETIME_TIMESTAMP_FILE": file, "FAKETIME_NO_CACHE": "1", "DONT_FAKE_MONOTONIC": "1", "NO_FAKE_STAT": "1"]
    }

    /// Writes `bytes` to `path` in `offsets.count + 1` parts, half a second apart, appending and
    /// closing the file each time, as many ERPs write: nothing holds it open, so only settling
    /// keeps the daemon from taking it between two parts. Before each later part, a hidden file
    /// lands in the inbox (waking the daemon to look), the clock jumps to the next offset, and
    /// the hidden file is written again: the daemon sees the same size and time twice, with the
    /// wall clock moved in between. Answers the part before which the file was gone, if it was.
    static func writeSlowly(_ bytes: [UInt8], to path: String, jumping offsets: [String], clock: String, waking other: String) async throws -> Int? {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
                    let part = bytes.count / (offsets.count + 1) + 1
                    func append(_ index: Int) throws -> Bool {
                        guard FileManager.default.fileExists(atPath: path) else { return false }
                        let writer = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                        try writer.seekToEnd()
                        try writer.write(contentsOf: bytes.dropFirst(part * index).prefix(part))
                        try writer.close()
                        return true
                    }
                    guard FileManager.default.createFile(atPath: path, contents: nil), try append(0) else { return continuation.resume(returning: 1) }
                    for (index, offset) in offsets.enumerated() {
                        usleep(100_000)
                        try Data("\(index)".utf8).write(to: URL(fileURLWithPath: other))
                        usleep(150_000)
                        try Data((offset + "\n").utf8).write(to: URL(fileURLWithPath: clock))
                        usleep(100_000)
                        try Data("\(index)".utf8).write(to: URL(fileURLWithPath: other))
                        usleep(150_000)
                        guard try append(index + 1) else { return continuation.resume(returning: index + 2) }
                    }
                    continuation.resume(returning: nil)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    @Test func wallClockJumpsWhileFilesSettleNeitherTakeOneEarlyNorApplyOneTwice() async throws {
        guard let library = Self.library else {
            #expect(!SharedFolder.isCI, "libfaketime is missing: make test installs it (apt-get install libfaketime)")
            print("skipped: libfaketime is not installed (apt-get install libfaketime)")
            return
        }
        let simulator = try SimulatorProcess()
        let dir = try CrashMatrixTests.demoFolder(simulator)
        for folder in ["inbox/stock", "inbox/sap-artikel", "inbox/sap-preise"] {
            for name in dir.list(folder) { try FileManager.default.removeItem(atPath: dir.file("\(folder)/\(name)")) }
        }
        try FileManager.default.removeItem(atPath: dir.file("inbox/products/products-with-errors.csv"))
        // Settle by time again (the matrix's folder takes files at once), with a margin over the
        // writer's half-second pauses. (`make test` runs this suite on its own: in the parallel
        // run, other tests' blocking waits could stall this writer past any settle time.)
        _ = try dir.write(try dir.read("hafen.yaml").replacingOccurrences(of: "settle: 0s", with: "settle: 4s"), to: "hafen.yaml")
        let clock = dir.file(".fake-clock")
        _ = try dir.write("+0s\n", to: ".fake-clock")
        let daemon = try DaemonProcess(configPath: dir.file("hafen.yaml"), in: dir.path, environment: Self.fakeClock(clock, library: library))
        let ledger = try Ledger(path: dir.file(".hafen/ledger.sqlite"))
        func finished(_ name: String) throws -> FileEntry? { try ledger.files(limit: 100).first { $0.name == name && $0.state.isFinal && $0.placed } }
        #expect(try await WebhookTests.eventually(60) { try finished("products-20261122.csv") != nil }, "\(daemon.log)")

        // Three stock files, each written over about 3 s with pauses shorter than settle; the
        // daemon's clock jumps before every part. The last jump of each stays while it is taken.
        let jumps = [["+2h", "-3h", "+1d", "-1d", "+10m", "+2h"], ["+1d", "-2d", "+0s", "+3h", "-1h", "-3h"], ["-1d", "+1d", "-10m", "+2h", "-2h", "+0s"]]
        var texts: [String] = []
        var lastOnHand: [String: Int] = [:]
        for (cycle, offsets) in jumps.enumerated() {
            let (text, onHand) = try SoakTests.stockFile(seed: cycle + 1)
            texts.append(text)
            lastOnHand = onHand
            let bytes = Array(text.utf8)
            let path = dir.file("inbox/stock/stock-\(cycle).csv")
            // The ERP writes on a thread of its own, so its half-second pauses do not depend on
            // the test run's shared task threads (other suites' blocking waits can hold them).
            let takenEarly = try await Self.writeSlowly(bytes, to: path, jumping: offsets, clock: clock, waking: dir.file("inbox/stock/.other"))
            #expect(takenEarly == nil, "stock-\(cycle).csv was taken while the ERP was still writing it (before part \(takenEarly ?? 0) of \(offsets.count + 1))")
            let taken = try await WebhookTests.eventually(30) { try finished("stock-\(cycle).csv") != nil }
            #expect(taken, "stock-\(cycle).csv was not taken:\n\(daemon.log)")
            guard let entry = try finished("stock-\(cycle).csv") else { continue }
            // Taken whole: every row read, the archived copy the whole file.
            #expect(entry.rowsRead == text.split(separator: "\r\n").count - 1, "\(CrashMatrixTests.line(entry))")
            let archived = try Data(contentsOf: URL(fileURLWithPath: entry.finalPath ?? ""))
            #expect(archived == Data(bytes), "stock-\(cycle).csv was taken before it was complete")
            // The daemon's wall clock was really moved: the claim's time carries the last offset.
            let shifted = [7200.0, -10800, 0][cycle]
            #expect(abs(entry.receivedAt.timeIntervalSinceNow - shifted) < 600, "received at \(entry.receivedAt), expected about now \(shifted >= 0 ? "+" : "")\(shifted) s")
        }
        #expect(daemon.terminate(within: 15) == 0)

        try FileManager.default.removeItem(atPath: dir.file("inbox/stock/.other"))
        let rows = try ledger.files(limit: 100)
        #expect(rows.count == 4 && rows.allSatisfy { $0.state.isFinal && $0.placed }, "\(rows.map(CrashMatrixTests.line))")
        #expect(try ledger.activity(limit: 500).allSatisfy { $0.event != Gateway.grewEvent })
        // Applied in the order they came, whatever the clock said: the shop holds the last file's stock.
        let inventory = try await simulator.admin(.get, "/admin/inventory") as? [[String: Any]] ?? []
        var shop: [String: Int] = [:]
        for row in inventory { shop["\(row["sku"] ?? "")@\(row["location"] ?? "")"] = row["on_hand"] as? Int }
        let known = lastOnHand.filter { shop[$0.key] != nil }
        #expect(known.count > 200, "levels of the last file in the shop: \(known.count)")
        #expect(known.filter { shop[$0.key] != $0.value }.isEmpty, "the shop's stock differs from the last file's")
    }
}
