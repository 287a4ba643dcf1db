import Foundation
@testable import Gateway
import HafenTesting
import Ledger
import Testing

/// A writer Hafen could not see goes on writing into a file after it was taken: the archived
/// copy grows. The next look at the archive reports it once, in the log, the file's history and
/// `hafen status`; a failed file an admin corrects in `failed/` is not such a case.
@Suite struct ArchiveGrowthTests {
    @Test func aFileThatGrowsAfterItWasArchivedIsReportedOnceAndShownInStatus() async throws {
        let h = try GatewayHarness()
        try h.drop(sample: "stock-20261122.csv", into: "stock")
        try h.drop(sample: "products-with-errors.csv", into: "products")
        let gateway = try h.gateway()
        await gateway.scanOnce()
        let finished = await gateway.scanOnce().finished
        let stock = try #require(finished.first { $0.flow == "stock" })
        let failed = try #require(finished.first { $0.flow == "products" })
        #expect(stock.state == .done && failed.state == .failed)
        let archived = try #require(stock.finalPath)
        let size = try #require(stock.size)

        // The writer's late rows land in the archived copy; an admin edits the failed file.
        let late = try FileHandle(forWritingTo: URL(fileURLWithPath: archived))
        try late.seekToEnd()
        try late.write(contentsOf: Data("A-0000009;HAUPT;5;0;22.11.2026 10:00\r\n".utf8))
        try late.close()
        try Data("Artikelnummer;Bezeichnung\r\nB-1;Becher\r\n".utf8).write(to: URL(fileURLWithPath: try #require(failed.finalPath)))

        gateway.checkArchivedFilesForGrowth(now: .now + .seconds(11))
        gateway.checkArchivedFilesForGrowth(now: .now + .seconds(22))
        let lines = try gateway.ledger.activity(limit: 100).filter { $0.event == Gateway.grewEvent }
        #expect(lines.count == 1, "reported once: \(lines)")
        #expect(lines.first?.fileID == stock.id)
        #expect(lines.first?.message.contains("\(size) bytes were read") == true, "\(lines)")
        #expect(lines.first?.message.contains("never read or applied") == true)

        // A new gateway (a restarted daemon) does not report it again.
        let restarted = try h.gateway()
        restarted.checkArchivedFilesForGrowth()
        #expect(try restarted.ledger.activity(limit: 100).filter { $0.event == Gateway.grewEvent }.count == 1)

        let status = try h.hafen(["status"])
        #expect(status.stdout.contains("Files that grew after they were archived"), "\(status.stdout)")
        #expect(status.stdout.contains("#\(stock.id)") && status.stdout.contains("stock-20261122.csv grew after it was taken"), "\(status.stdout)")
        let show = try h.hafen(["show", "\(stock.id)"])
        #expect(show.stdout.contains("grew after it was taken"), "\(show.stdout)")
    }
}
