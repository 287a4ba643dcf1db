import Foundation
@testable import Gateway
import HafenTesting
import Ledger
import Testing

/// Names at the edge of what a filesystem takes, folders on other filesystems or read-only, and
/// files left in the work area without a ledger row: nothing is lost, nothing loops, and what
/// cannot go on is shown (`stuck`, `hafen status`, the exit code of `run --once`).
@Suite struct PlacementFaultTests {
    static let stockHeader = "Artikelnummer;Lager;Bestand;Reserviert;Stand\r\n"
    static let stockWithARejectedRow = stockHeader + "A-1;HAUPT;5;0;01.01.2026 10:00\r\nA-2;HAUPT;-5;0;01.01.2026 10:00\r\n"

    /// The first pass sees a file, the second takes it (settle: 0s still wants two looks).
    static func twoPasses(_ gateway: Gateway) async -> [FileEntry] {
        let first = await gateway.scanOnce().finished
        return first + (await gateway.scanOnce().finished)
    }

    func allNames(under path: String) -> [String] {
        (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []).map { ($0 as NSString).lastPathComponent }
    }

    @Test func takesALegal250ByteNameAndKeepsEveryTraceWithinTheLimit() async throws {
        let h = try GatewayHarness()
        let name = String(repeating: "ä", count: 123) + ".csv"
        #expect(name.utf8.count == 250)
        try h.dir.write(Array(Self.stockWithARejectedRow.utf8), to: "inbox/stock/\(name)")
        let gateway = try h.gateway()
        let entry = try #require(await Self.twoPasses(gateway).first)
        #expect(entry.state == .partial)
        #expect(entry.name == name, "the ledger keeps the real name")
        #expect(gateway.stuck.isEmpty)
        #expect(h.dir.list("inbox/stock").isEmpty)
        let failed = h.dir.list("failed")
        #expect(failed.count == 3, "\(failed)")
        #expect(failed.allSatisfy { $0.hasPrefix("ääää") && $0.utf8.count <= 200 }, "\(failed)")
        #expect(failed.contains { $0.hasSuffix(".csv.rejected.csv") })
        for trace in allNames(under: h.dir.path) { #expect(trace.utf8.count <= 255, "\(trace)") }
    }

    @Test func writesTheRejectedRowsOfAFileWithALong200ByteName() async throws {
        let h = try GatewayHarness()
        let name = String(repeating: "lager-bestand-", count: 14) + "x.csv"
        #expect(name.utf8.count == 201)
        try h.dir.write(Array(Self.stockWithARejectedRow.utf8), to: "inbox/stock/\(name)")
        let gateway = try h.gateway()
        let entry = try #require(await Self.twoPasses(gateway).first)
        #expect(entry.state == .partial)
        #expect(entry.rowsRejected == 1)
        #expect(gateway.stuck.isEmpty)
        let rejected = try #require(h.dir.list("failed").first { $0.hasSuffix(".rejected.csv") })
        #expect(try h.dir.read("failed/\(rejected)").contains("A-2;HAUPT;-5"))
    }

    @Test(.enabled(if: ScratchMount.testsEnabled, "mounting a tmpfs needs root; these tests run in CI"))
    func placesIntoArchiveAndFailedFoldersOnAnotherFilesystem() async throws {
        let dir = try TemporaryDirectory("xdev")
        let mount = try ScratchMount(at: dir.file("other"))
        let h = try GatewayHarness(top: "archive: \(mount.path)/archive\nfailed: \(mount.path)/failed")
        try h.dir.write(Array(Self.stockWithARejectedRow.utf8), to: "inbox/stock/stock-1.csv")
        try h.drop(sample: "products-20261122.csv", into: "products")
        let gateway = try h.gateway()
        let finished = await Self.twoPasses(gateway)
        #expect(finished.map(\.state).sorted { $0.rawValue < $1.rawValue } == [.done, .partial])
        #expect(gateway.stuck.isEmpty)
        let day = try #require(dir.list("other/archive").first)
        #expect(dir.list("other/archive/\(day)") == ["products-20261122.csv", "stock-1.csv"])
        #expect(dir.list("other/failed").contains("stock-1.csv.rejected.csv"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(mount.path)/archive/\(day)/products-20261122.csv"))
            == Data(contentsOf: URL(fileURLWithPath: SharedFolder.projectRoot + "/samples/products-20261122.csv")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: gateway.config.processingDirectory + "/stock").isEmpty,
                "nothing is left behind in the work area")
        #expect(try gateway.ledger.unfinished().isEmpty)
    }

    @Test(.enabled(if: ScratchMount.testsEnabled, "mounting a tmpfs needs root; these tests run in CI"))
    func backsOffAPlacementThatCannotSucceedAndFinishesItOnceItCan() async throws {
        let dir = try TemporaryDirectory("rofs")
        let mount = try ScratchMount(at: dir.file("archive"))
        let h = try GatewayHarness(top: "archive: \(mount.path)")
        try mount.setReadOnly(true)
        try h.drop(sample: "products-20261122.csv", into: "products")
        let gateway = try h.gateway()
        for _ in 0..<20 { await gateway.scanOnce() }
        let stuck = try #require(gateway.stuck.first)
        #expect(stuck.subject.hasSuffix("products-20261122.csv"))
        #expect(stuck.error.contains("Read-only file system"), "\(stuck.error)")
        #expect(stuck.tries == 1, "twenty passes in a row try it once: it waits 2 s first")
        let entry = try #require(try gateway.ledger.unfinished().first)
        #expect(entry.state == .done && !entry.placed)
        let notes = try gateway.ledger.activity(fileID: entry.id, limit: 50).filter { $0.event == "stuck" }
        #expect(notes.count == 1)
        let status = try h.hafen(["status"])
        #expect(status.stdout.contains("Stuck files"), "\(status.stdout)")
        #expect(status.stdout.contains("#\(entry.id)  products  products-20261122.csv"), "\(status.stdout)")

        try mount.setReadOnly(false)
        try await Task.sleep(for: .milliseconds(2100))
        await gateway.scanOnce()
        #expect(gateway.stuck.isEmpty)
        #expect(try gateway.ledger.entry(entry.id)?.placed == true)
        let day = try #require(dir.list("archive").first)
        #expect(dir.list("archive/\(day)") == ["products-20261122.csv"])
    }

    @Test(.enabled(if: ScratchMount.testsEnabled, "mounting a tmpfs needs root; these tests run in CI"))
    func keepsAFileWhoseArchiveIsFullUntilThereIsRoomAndLeavesNoHalfCopy() async throws {
        let dir = try TemporaryDirectory("full")
        let mount = try ScratchMount(at: dir.file("archive"), kilobytes: 16)
        let h = try GatewayHarness(top: "archive: \(mount.path)")
        try h.drop(sample: "products-20261122.csv", into: "products")  // about 60 KB: more than the disk holds
        let gateway = try h.gateway()
        _ = await Self.twoPasses(gateway)
        let stuck = try #require(gateway.stuck.first)
        #expect(stuck.error.contains("No space left on device"), "\(stuck.error)")
        let entry = try #require(try gateway.ledger.unfinished().first)
        #expect(FileManager.default.fileExists(atPath: entry.workPath), "the file stays in the work area")
        #expect(allNames(under: mount.path).allSatisfy { !$0.hasSuffix(".csv") && !$0.hasSuffix(".tmp") },
                "no half copy and no temporary file is left: \(allNames(under: mount.path))")
        try mount.resize(kilobytes: 4096)
        try await Task.sleep(for: .milliseconds(2100))
        await gateway.scanOnce()
        #expect(gateway.stuck.isEmpty)
        #expect(try gateway.ledger.entry(entry.id)?.placed == true)
        let day = try #require(dir.list("archive").first)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(mount.path)/\(day)/products-20261122.csv"))
            == Data(contentsOf: URL(fileURLWithPath: SharedFolder.projectRoot + "/samples/products-20261122.csv")))
    }

    @Test(.enabled(if: ScratchMount.testsEnabled, "mounting a tmpfs needs root; these tests run in CI"))
    func aFullStateFolderLosesNoFileAndFinishesItOnceThereIsRoom() async throws {
        let dir = try TemporaryDirectory("state-full")
        let mount = try ScratchMount(at: dir.file("state"), kilobytes: 2048)
        let h = try GatewayHarness(top: "state: \(mount.path)")
        // The inbox on the same disk, so the claim is a rename that needs no room, and the
        // ledger's write is what fails.
        try? FileManager.default.removeItem(atPath: h.dir.file("inbox"))
        try FileManager.default.createDirectory(atPath: mount.path + "/inbox/stock", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: h.dir.path + "/inbox", withDestinationPath: mount.path + "/inbox")
        let gateway = try h.gateway()
        try await gateway.recover()
        try Data(Self.stockWithARejectedRow.utf8).write(to: URL(fileURLWithPath: mount.path + "/inbox/stock/stock-1.csv"))
        // Fill the state folder (ledger, work areas) to the last block.
        let filler = mount.path + "/filler"
        #expect(FileManager.default.createFile(atPath: filler, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: filler))
        let block = Data(repeating: 0x55, count: 64 * 1024)
        while (try? handle.write(contentsOf: block)) != nil {}
        let small = Data(repeating: 0x55, count: 512)
        while (try? handle.write(contentsOf: small)) != nil {}
        try? handle.close()
        for _ in 0..<2 { await gateway.scanOnce() }
        // The claim (a rename) worked, the ledger could not write: the file waits in the work
        // area, is adopted on a later pass, and until the ledger can write it shows as stuck.
        for _ in 0..<2 {
            await gateway.scanOnce()  // first seen, then (2 s later) an adoption the full ledger refuses
            try await Task.sleep(for: .milliseconds(2100))
        }
        await gateway.scanOnce()
        #expect(!gateway.stuck.isEmpty, "the full disk is shown")
        let status = try h.hafen(["status"])
        #expect(status.stdout.contains("without a ledger row") && status.stdout.contains("stock-1.csv"), "\(status.stdout)\n\(status.stderr)")
        let inLedger = (try? gateway.ledger.files(flow: "stock")) ?? []
        let workFiles = (try? FileManager.default.contentsOfDirectory(atPath: mount.path + "/processing/stock")) ?? []
        let inbox = h.dir.list("inbox/stock")
        #expect(inLedger.count + workFiles.filter { !$0.hasPrefix(".") }.count + inbox.count >= 1, "the file is somewhere: nothing lost")

        try FileManager.default.removeItem(atPath: filler)
        try await Task.sleep(for: .milliseconds(2200))
        for _ in 0..<3 {
            await gateway.scanOnce()
            try await Task.sleep(for: .milliseconds(1100))
        }
        let files = try gateway.ledger.files(flow: "stock")
        #expect(files.map(\.state) == [.partial], "one row, finished: \(files.map { "\($0.name) \($0.state)" })")
        #expect(files.first?.placed == true)
        #expect(h.dir.list("inbox/stock").isEmpty)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: mount.path + "/processing/stock")) ?? []).filter { !$0.hasPrefix(".") }.isEmpty)
        #expect(gateway.stuck.isEmpty, "\(gateway.stuck)")
    }

    @Test func adoptsAClaimedFileWithoutALedgerRowOnALaterPassNotOnlyAtStart() async throws {
        let h = try GatewayHarness()
        let gateway = try h.gateway()
        try await gateway.recover()
        // A claim whose ledger write failed (a full disk): the file sits in the work area alone.
        let work = gateway.config.processingDirectory + "/stock"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try Data((Self.stockHeader + "A-1;HAUPT;5;0;01.01.2026 10:00\r\n").utf8).write(to: URL(fileURLWithPath: work + "/1700000000000-ab12-stock-9.csv"))
        let now = ContinuousClock.now
        #expect(await gateway.adoptOrphans(settled: true, now: now).isEmpty, "first seen: not yet adopted")
        #expect(await gateway.adoptOrphans(settled: true, now: now + .milliseconds(500)).isEmpty)
        let adopted = await gateway.adoptOrphans(settled: true, now: now + .seconds(3))
        #expect(adopted.map(\.name) == ["stock-9.csv"])
        #expect(adopted.first?.state == .done)
        #expect(await gateway.adoptOrphans(settled: true, now: now + .seconds(6)).isEmpty, "adopted once")
        #expect(try gateway.ledger.files(flow: "stock").count == 1)
    }

    @Test func exitsNonZeroFromRunOnceWhileAFileIsStuck() throws {
        let h = try GatewayHarness()
        try h.dir.write(Array(Self.stockWithARejectedRow.utf8), to: "inbox/stock/stock-1.csv")
        // The work area cannot be made: a plain file stands where the folder belongs.
        try FileManager.default.createDirectory(atPath: h.dir.file(".hafen/processing"), withIntermediateDirectories: true)
        try h.dir.write("in the way", to: ".hafen/processing/stock")
        let run = try h.hafen(["run", "--once", "--log-level", "error"])
        #expect(run.status == 1, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("stuck: inbox/stock/stock-1.csv:"), "\(run.stderr)")
        #expect(h.dir.exists("inbox/stock/stock-1.csv"), "the file stays where it was")
    }
}
