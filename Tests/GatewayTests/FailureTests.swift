import Foundation
@testable import Gateway
import HafenTesting
import Ledger
import Testing

@Suite struct FailureTests {
    @Test func failsTheWholeFileUnderRejectFileWithAPlainLanguageReport() async throws {
        let h = try GatewayHarness()
        try h.drop(sample: "products-with-errors.csv", into: "products")
        let gateway = try h.gateway()
        await gateway.scanOnce()
        let entry = try #require(await gateway.scanOnce().finished.first)
        #expect(entry.state == .failed)
        #expect(entry.rowsRejected == 9)
        #expect(h.dir.list("failed") == [
            "products-with-errors.csv", "products-with-errors.csv.error.txt", "products-with-errors.csv.receipt.json",
        ])
        let report = try h.dir.read("failed/products-with-errors.csv.error.txt")
        #expect(report.contains("Nothing from this file was applied"))
        #expect(report.contains("line 31, column 1 (Artikelnummer): \"\" – a value is required [HV206]"))
        #expect(report.contains("line 125, column 5 (VK-Preis brutto): \"12,3,4\" – not a number like 1.234,56 [HV205]"))
        #expect(report.contains("hafen reprocess \(entry.id)"))
    }

    @Test func passesValidRowsAndSetsRejectedOnesAsideUnderSkipRows() async throws {
        let h = try GatewayHarness()
        try h.drop(sample: "stock-with-errors.csv", into: "stock")
        let gateway = try h.gateway()
        await gateway.scanOnce()
        let entry = try #require(await gateway.scanOnce().finished.first)
        #expect(entry.state == .partial)
        #expect(entry.rowsValid == 196)
        let rejected = try Data(contentsOf: URL(fileURLWithPath: h.dir.file("failed/stock-with-errors.csv.rejected.csv")))
        let text = try #require(String(data: rejected, encoding: .windowsCP1252))
        #expect(text == """
            Artikelnummer;Lager;Bestand;Reserviert;Stand\r
            A-0000027;AUSSEN;1.2x;0;02.03.2025 18:09\r
            ;AUSSEN;3516;6;19.09.2023 02:46\r
            A-0000119;HAUPT;-5;33;27.01.2021 11:20\r
            ;AUSSEN;4642;15;06.06.2024 06:25\r

            """)
        #expect(h.dir.exists("failed/stock-with-errors.csv.error.txt"))
    }

    @Test func setsDuplicateKeysAsideInFileOrderUnderSkipRows() async throws {
        let h = try GatewayHarness()
        try h.drop(text: """
            Artikelnummer;Lager;Bestand;Reserviert;Stand\r
            A-1;HAUPT;5;0;01.01.2026 10:00\r
            A-2;HAUPT;x;0;01.01.2026 10:00\r
            A-1;HAUPT;7;0;01.01.2026 10:00\r
            A-1;AUSSEN;7;0;01.01.2026 10:00\r
            A-3;HAUPT;-1;0;01.01.2026 10:00\r
            A-1;HAUPT;9;0;01.01.2026 10:00\r

            """, into: "stock", as: "dups.csv")
        let gateway = try h.gateway()
        await gateway.scanOnce()
        let entry = try #require(await gateway.scanOnce().finished.first)
        #expect(entry.state == .partial)
        #expect(entry.rowsValid == 2)
        #expect(entry.rowsRejected == 4)
        let rejected = try String(contentsOfFile: h.dir.file("failed/dups.csv.rejected.csv"), encoding: .windowsCP1252)
        #expect(rejected == """
            Artikelnummer;Lager;Bestand;Reserviert;Stand\r
            A-2;HAUPT;x;0;01.01.2026 10:00\r
            A-1;HAUPT;7;0;01.01.2026 10:00\r
            A-3;HAUPT;-1;0;01.01.2026 10:00\r
            A-1;HAUPT;9;0;01.01.2026 10:00\r

            """)
        let receipt = try #require(try gateway.ledger.receipt(for: entry.id))
        #expect(receipt.json.contains("primary key (Artikelnummer, Lager) is already in row 2 (line 2)"))
    }

    @Test func returnsAFileThatChangesWhileItIsReadAndTakesItAgainOnceSettled() async throws {
        let h = try GatewayHarness()
        try h.drop(sample: "stock-20261122.csv", into: "stock")
        let gateway = try h.gateway()
        var writes = 0
        gateway.afterRead = { path in
            // The ERP was not finished: it appends one more row to the same file (same inode).
            guard writes == 0, let handle = FileHandle(forWritingAtPath: path) else { return }
            writes += 1
            handle.seekToEndOfFile()
            handle.write(Data("A-9999999;HAUPT;1;0;01.01.2026 10:00\r\n".utf8))
            handle.closeFile()
        }
        await gateway.scanOnce()
        let returned = try #require(await gateway.scanOnce().finished.first)
        #expect(returned.state == .returned)
        #expect(returned.errorSummary?.contains("the file changed while it was read (size") == true)
        #expect(try gateway.ledger.receipt(for: returned.id) == nil, "nothing was decided, so there is no receipt")
        #expect(h.dir.exists("inbox/stock/stock-20261122.csv"), "back in the inbox, to settle again")
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.dir.file("archive")).isEmpty, "nothing archived")

        await gateway.scanOnce()
        let again = try #require(await gateway.scanOnce().finished.first)
        #expect(again.id != returned.id)
        #expect(again.state == .done)
        #expect(again.rowsRead == 401, "the appended row is part of the file now")
    }

    @Test func failsAFileWhoseHeaderDoesNotMatchAndSuggestsTheDelimiter() async throws {
        let h = try GatewayHarness()
        try h.drop(text: "Artikelnummer,Lager,Bestand,Reserviert,Stand\r\nA-1,HAUPT,5,0,01.01.2026 10:00\r\n", into: "stock", as: "comma.csv")
        let gateway = try h.gateway()
        await gateway.scanOnce()
        let entry = try #require(await gateway.scanOnce().finished.first)
        #expect(entry.state == .failed)
        #expect(try h.dir.read("failed/comma.csv.error.txt").contains("is the delimiter right? (read with \";\")"))
    }

    @Test func reprocessesAnEditedFailedFileAsALinkedNewAttempt() async throws {
        let h = try GatewayHarness()
        try h.drop(text: "Artikelnummer;Lager;Bestand;Reserviert;Stand\r\nA-1;HAUPT;x;0;01.01.2026 10:00\r\n", into: "products", as: "p.csv")
        var gateway = try h.gateway()
        await gateway.scanOnce()
        let failed = try #require(await gateway.scanOnce().finished.first)
        #expect(failed.state == .failed)
        // The admin fixes the configuration (this file was really a stock file) … and the data.
        try h.dir.write(try h.dir.read("failed/p.csv").replacingOccurrences(of: "HAUPT;x", with: "HAUPT;7"), to: "failed/p.csv")
        try h.dir.write(try h.dir.read("hafen.yaml").replacingOccurrences(of: "schemas/products.schema.json", with: "schemas/stock.schema.json"), to: "hafen.yaml")
        gateway = try h.gateway()
        let retried = try await gateway.reprocess(failed.id)
        #expect(retried.state == .done)
        #expect(retried.retryOf == failed.id)
        #expect(retried.attempt == 2)
        #expect(h.dir.list("failed").isEmpty)  // the old report went with the file
        #expect(try gateway.ledger.entry(failed.id)?.state == .failed)  // history is kept
        await #expect(throws: GatewayError.self) { try await gateway.reprocess(retried.id) }
    }

    @Test func reprocessesTheRejectedRowsOfAPartialFile() async throws {
        let h = try GatewayHarness()
        try h.drop(sample: "stock-with-errors.csv", into: "stock")
        let gateway = try h.gateway()
        await gateway.scanOnce()
        let partial = try #require(await gateway.scanOnce().finished.first)
        let path = "failed/stock-with-errors.csv.rejected.csv"
        let fixed = String(data: try Data(contentsOf: URL(fileURLWithPath: h.dir.file(path))), encoding: .windowsCP1252)!
            .replacingOccurrences(of: "1.2x", with: "12").replacingOccurrences(of: "\r\n;", with: "\r\nA-9;")
            .replacingOccurrences(of: "HAUPT;-5", with: "HAUPT;5")
        try h.dir.write(Array(fixed.data(using: .windowsCP1252)!), to: path)
        let retried = try await gateway.reprocess(partial.id)
        #expect(retried.state == .partial)  // two rows now share the key A-9/AUSSEN (skip-rows flow)
        #expect(retried.rowsValid == 3)
        #expect(retried.retryOf == partial.id)
        #expect(retried.rowsRejected == 1)
    }

    @Test func aFailedFileQueuedTwiceIsRefusedTheSecondTimeAndProcessedOnce() async throws {
        let h = try GatewayHarness()
        try h.drop(text: "Artikelnummer;Lager;Bestand;Reserviert;Stand\r\nA-1;HAUPT;x;0;01.01.2026 10:00\r\n", into: "products", as: "p.csv")
        let gateway = try h.gateway()
        await gateway.scanOnce()
        let failed = try #require(await gateway.scanOnce().finished.first)
        let queued = try gateway.queueReprocess(failed.id)
        let error = #expect(throws: GatewayError.self) { try gateway.queueReprocess(failed.id) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("queued already, as #\(queued.id)"))
        #expect(try gateway.ledger.files(limit: 10).count == 2)
        // The daemon's next pass runs the queued attempt, once.
        await gateway.scanOnce()
        #expect(try gateway.ledger.entry(queued.id)?.placed == true)
        #expect(try gateway.ledger.files(limit: 10).count == 2)
    }
}
