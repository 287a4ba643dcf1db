import Foundation
import Gateway
import HafenTesting
import Ledger
import Testing

/// `kill -9` at any step of writing an export file leaves no file or a complete one, and after a
/// restart every order is in the outbox exactly once, its sidecar right, the ledger in agreement.
@Suite struct ExportCrashTests {
    @Test(arguments: ["export-begun", "export-synced", "export-placed"])
    func aCrashWhileWritingLeavesEachOrderExactlyOnce(point: String) async throws {
        let h = try ExportHarness()
        try await h.seed("[\(ExportHarness.paidOrder), \(ExportHarness.paidOrder)]")
        let crashed = try h.hafen(["export", "orders"], environment: ["HAFEN_CRASH_AT": point])
        #expect(crashed.status == 137, "no crash at \(point): \(crashed.stderr)")
        // Whatever is visible under a final name is complete.
        for name in h.files() { #expect(try h.rows(name).count == 3, "\(name) after a crash at \(point)") }
        let restarted = try h.hafen(["export", "orders"])
        #expect(restarted.status == 0, "\(point): \(restarted.stderr)")
        #expect(h.files() == ["orders_1001_original.csv", "orders_1002_original.csv"], "after a crash at \(point)")
        #expect(!h.dir.list("outbox/orders").contains { $0.hasPrefix(".") }, "a temporary file was left after a crash at \(point)")
        let ledger = try Ledger(path: h.dir.file(".hafen/ledger.sqlite"))
        let written = try ledger.exportFiles(state: .written)
        #expect(written.map(\.name).sorted() == h.files())
        for file in written {
            let sidecar = try h.dir.read("outbox/orders/\(file.name).sha256")
            #expect(sidecar == "\(file.sha256 ?? "")  \(file.name)\n")
            #expect(try Gateway.checksum(ofFile: file.path) == file.sha256)
        }
        // A third run finds nothing new.
        let third = try h.hafen(["export", "orders"])
        #expect(third.stdout.contains("0 written"), "\(third.stdout)")
    }
}
