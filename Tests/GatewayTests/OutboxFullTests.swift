import Foundation
import Gateway
import HafenTesting
import Ledger
import Testing

/// The outbox's disk full while export files are written: no half file and no temporary file is
/// left, the operator is told which folder is full, no order is marked as exported; with room
/// again every order is written exactly once, its sidecar right.
@Suite struct OutboxFullTests {
    /// Fills `folder` until the filesystem refuses another byte; returns the filler's path.
    static func fill(_ folder: String) throws -> String {
        let path = folder + "/.filler"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let block = Data(repeating: 0x41, count: 4096)
        while (try? handle.write(contentsOf: block)) != nil {}
        for _ in 0..<4096 where (try? handle.write(contentsOf: Data([0x41]))) != nil {}
        return path
    }

    @Test(.enabled(if: ScratchMount.testsEnabled, "mounting a tmpfs needs root; these tests run in CI"))
    func aFullOutboxWritesNothingHalfAndEveryOrderOnceWhenThereIsRoom() async throws {
        let h = try ExportHarness()
        let mount = try ScratchMount(at: h.dir.file("outbox/orders"), kilobytes: 64)
        try await h.seed("[\(ExportHarness.paidOrder), \(ExportHarness.paidOrder)]")
        let filler = try Self.fill(mount.path)

        let full = try h.hafen(["export", "orders"])
        #expect(full.status != 0, "a full outbox is an error: \(full.stdout)")
        #expect(full.stderr.contains("No space left on device") && full.stderr.contains("outbox/orders"), "the operator is told where: \(full.stderr)")
        #expect(h.dir.list("outbox/orders") == [".filler"], "no half or temporary file: \(h.dir.list("outbox/orders"))")
        let ledger = try Ledger(path: h.dir.file(".hafen/ledger.sqlite"))
        #expect(try ledger.exportFiles(state: .written).isEmpty, "nothing counts as exported")
        let again = try h.hafen(["export", "orders"])
        #expect(again.status != 0)
        #expect(h.dir.list("outbox/orders") == [".filler"])

        try FileManager.default.removeItem(atPath: filler)
        let roomy = try h.hafen(["export", "orders"])
        #expect(roomy.status == 0, "\(roomy.stderr)")
        #expect(h.files() == ["orders_1001_original.csv", "orders_1002_original.csv"])
        #expect(!h.dir.list("outbox/orders").contains { $0.hasPrefix(".") })
        let written = try ledger.exportFiles(state: .written)
        #expect(written.map(\.name).sorted() == h.files())
        for file in written {
            #expect(try h.dir.read("outbox/orders/\(file.name).sha256") == "\(file.sha256 ?? "")  \(file.name)\n")
            #expect(try Gateway.checksum(ofFile: file.path) == file.sha256)
            #expect(try h.rows(file.name).count == 3)
        }
        let third = try h.hafen(["export", "orders"])
        #expect(third.stdout.contains("0 written"), "\(third.stdout)")
    }
}
