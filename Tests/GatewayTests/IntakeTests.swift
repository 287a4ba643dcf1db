import Foundation
import Gateway
import HafenTesting
import Ledger
import Testing

@Suite struct IntakeTests {
    @Test func archivesAValidFileWithAReceipt() async throws {
        let h = try GatewayHarness()
        try h.drop(sample: "products-20261122.csv", into: "products")
        let gateway = try h.gateway()
        await gateway.scanOnce()  // first look: remembers size and mtime
        let finished = await gateway.scanOnce().finished
        let entry = try #require(finished.first)
        #expect(entry.state == .done)
        #expect(entry.rowsRead == 300)
        #expect(h.dir.list("inbox/products").isEmpty)
        let day = try #require(h.dir.list("archive").first)
        #expect(h.dir.list("archive/\(day)") == ["products-20261122.csv"])
        let receipts = h.dir.list("outbox/receipts/products")
        #expect(receipts.count == 1)
        #expect(receipts[0].hasPrefix("products-20261122.csv.\(entry.sha256!.prefix(12))"))
        let json = try JSONSerialization.jsonObject(with: Data(h.dir.read("outbox/receipts/products/\(receipts[0])").utf8)) as! [String: Any]
        for key in ["id", "flow", "file", "source", "size", "sha256", "received_at", "finished_at", "status", "duplicate_of", "rows", "errors", "errors_total"] {
            #expect(json.keys.contains(key), "receipt lacks \(key)")
        }
        #expect(json["status"] as? String == "done")
        #expect((json["rows"] as? [String: Int])?["read"] == 300)
    }

    @Test func waitsUntilAFileHasSettled() async throws {
        let h = try GatewayHarness(settle: "300ms")
        try h.drop(sample: "stock-20261122.csv", into: "stock")
        let gateway = try h.gateway()
        let firstSeen = ContinuousClock.now
        #expect(await gateway.scanOnce().finished.isEmpty)
        #expect(gateway.hasPendingFiles)
        // Scan often; the file may only be taken once it has been unchanged for 300 ms (timed
        // here, not assumed: a busy test machine may wake the task late).
        var taken: [FileEntry] = []
        while taken.isEmpty && ContinuousClock.now - firstSeen < .seconds(10) {
            try await Task.sleep(for: .milliseconds(50))
            let scanned = ContinuousClock.now
            taken = await gateway.scanOnce().finished
            if !taken.isEmpty { #expect(scanned - firstSeen >= .milliseconds(300)) }
        }
        #expect(taken.count == 1)
    }

    @Test func takesAFileOnlyWhenItsDoneMarkerArrives() async throws {
        let h = try GatewayHarness(extraStock: "    done_marker: [.done, .ok]".replacingOccurrences(of: "settle: 0s", with: ""))
        let text = try String(contentsOfFile: h.configPath, encoding: .utf8).replacingOccurrences(
            of: "settle: 0s\n    on_error: skip-rows", with: "on_error: skip-rows")
        try h.dir.write(text, to: "hafen.yaml")
        try h.drop(sample: "stock-20261122.csv", into: "stock")
        let gateway = try h.gateway()
        #expect(await gateway.scanOnce().finished.isEmpty)
        try h.dir.write("", to: "inbox/stock/stock-20261122.csv.ok")
        #expect(await gateway.scanOnce().finished.first?.state == .done)
        #expect(h.dir.list("inbox/stock").isEmpty)  // the marker is consumed too
    }

    @Test func ignoresTemporaryNames() async throws {
        let h = try GatewayHarness()
        for name in ["x.csv.part", "x.csv.tmp", ".x.csv", "~x.csv"] {
            try h.drop(sample: "stock-20261122.csv", into: "stock", as: name)
        }
        let gateway = try h.gateway()
        await gateway.scanOnce()
        #expect(await gateway.scanOnce().finished.isEmpty)
        #expect(h.dir.list("inbox/stock").count == 4)
    }

    @Test func recordsTheSameBytesAgainAsADuplicateAndArchivesIt() async throws {
        let h = try GatewayHarness()
        let gateway = try h.gateway()
        try h.drop(sample: "stock-20261122.csv", into: "stock")
        await gateway.scanOnce()
        let first = try #require(await gateway.scanOnce().finished.first)
        try h.drop(sample: "stock-20261122.csv", into: "stock", as: "stock-again.csv")
        await gateway.scanOnce()
        let second = try #require(await gateway.scanOnce().finished.first)
        #expect(second.state == .duplicate)
        #expect(second.duplicateOf == first.id)
        let receipt = try #require(try gateway.ledger.receipt(for: second.id))
        #expect(receipt.json.contains("\"duplicate_of\" : \(first.id)"))
        #expect(receipt.json.contains("not applied twice"))
    }

    @Test func treatsTheSameNameWithNewContentAsANewFileAndNotesIt() async throws {
        let h = try GatewayHarness()
        let gateway = try h.gateway()
        try h.drop(sample: "stock-20261122.csv", into: "stock", as: "stock.csv")
        await gateway.scanOnce()
        let first = try #require(await gateway.scanOnce().finished.first)
        try h.drop(text: "Artikelnummer;Lager;Bestand;Reserviert;Stand\r\nA-1;HAUPT;5;0;01.01.2026 10:00\r\n", into: "stock", as: "stock.csv")
        await gateway.scanOnce()
        let second = try #require(await gateway.scanOnce().finished.first)
        #expect(second.state == .done)
        #expect(second.sha256 != first.sha256)
        let receipt = try #require(try gateway.ledger.receipt(for: second.id))
        #expect(receipt.json.contains("\"name_reused_from\" : \(first.id)"))
        #expect(h.dir.list("outbox/receipts/stock").count == 2)
        let day = try #require(h.dir.list("archive").first)
        #expect(h.dir.list("archive/\(day)") == ["\(second.id)-stock.csv", "stock.csv"])
    }

    @Test func refusesSymlinksAndPipesWithoutTouchingTheirTargets() async throws {
        let h = try GatewayHarness()
        let secret = try h.dir.write("secret", to: "secret.txt")
        try FileManager.default.createSymbolicLink(atPath: h.dir.file("inbox/stock/link.csv"), withDestinationPath: secret)
        #expect(mkfifo(h.dir.file("inbox/stock/pipe.csv"), 0o644) == 0)
        let gateway = try h.gateway()
        await gateway.scanOnce()
        let finished = await gateway.scanOnce().finished
        #expect(finished.map(\.state) == [.failed, .failed])
        let reports = try h.dir.list("failed").filter { $0.hasSuffix(".error.txt") }.map { try h.dir.read("failed/\($0)") }.joined()
        #expect(reports.contains("HT501"))
        #expect(reports.contains("HT502"))
        #expect(try String(contentsOfFile: secret, encoding: .utf8) == "secret")
    }

    @Test func refusesFilesOverTheSizeLimit() async throws {
        let h = try GatewayHarness(extraStock: "    max_size: 100B")
        try h.drop(sample: "stock-20261122.csv", into: "stock")
        let gateway = try h.gateway()
        await gateway.scanOnce()
        let entry = try #require(await gateway.scanOnce().finished.first)
        #expect(entry.state == .failed)
        #expect(entry.errorSummary?.contains("over the flow's limit of 100") == true)
    }
}
