import Foundation
import Gateway
import HafenTesting
import Ledger
import Testing

/// Files that look wrong are never acted on: empty, cut off, or far shorter than the last good one.
@Suite struct SafetyValveTests {
    static let stockFlow = """
            hold_if_rows_drop: 50%
            map:
              to: stock
              stock: {sku: Artikelnummer, location: Lager, on_hand: Bestand, reserved: Reserviert}
        """
    static let header = "Artikelnummer;Lager;Bestand;Reserviert;Stand\r\n"

    static func take(_ gateway: Gateway) async throws -> FileEntry {
        await gateway.scanOnce()
        return try #require(await gateway.scanOnce().finished.first)
    }

    @Test func treatsAnEmptyExportAsNothingToSend() async throws {
        let h = try GatewayHarness(extraStock: Self.stockFlow)
        try h.drop(text: Self.header, into: "stock", as: "empty.csv")
        let gateway = try h.gateway()
        let entry = try await Self.take(gateway)
        #expect(entry.state == .done)
        #expect(entry.errorSummary == nil)
        let receipt = try #require(try gateway.ledger.receipt(for: entry.id)).json
        #expect(receipt.contains("\"code\" : \"HM306\""))
        #expect(receipt.contains("\"severity\" : \"warning\""))
    }

    @Test func failsAFileCutOffInTheMiddleOfARowEvenUnderSkipRows() async throws {
        let h = try GatewayHarness(extraStock: Self.stockFlow)
        try h.drop(text: Self.header + "A-1;HAUPT;5;0;01.01.2026 10:00\r\nA-2;HAUPT;7;0;01.01.2026 10:00\r\nA-3;HAU", into: "stock", as: "cut.csv")
        let gateway = try h.gateway()
        let entry = try await Self.take(gateway)
        #expect(entry.state == .failed)
        #expect(entry.errorSummary == "the file ends in the middle of its last row: it looks cut off, so nothing from it is sent")
        #expect(!h.dir.exists("failed/cut.csv.rejected.csv"), "no rows were set aside as if the rest were fine")
    }

    @Test func takesACompleteFileWithoutAFinalLineBreak() async throws {
        let h = try GatewayHarness(extraStock: Self.stockFlow)
        try h.drop(text: Self.header + "A-1;HAUPT;5;0;01.01.2026 10:00\r\nA-2;HAUPT;7;0;01.01.2026 10:00", into: "stock", as: "fine.csv")
        #expect(try await Self.take(try h.gateway()).state == .done)
    }

    @Test func holdsAFileWithFarFewerRowsUntilApproved() async throws {
        let h = try GatewayHarness(extraStock: Self.stockFlow)
        try h.drop(sample: "stock-20261122.csv", into: "stock")
        let gateway = try h.gateway()
        #expect(try await Self.take(gateway).state == .done)

        let lines = try String(contentsOfFile: SharedFolder.projectRoot + "/samples/stock-20261122.csv", encoding: .windowsCP1252)
            .components(separatedBy: "\r\n")
        try h.drop(text: lines.prefix(101).joined(separator: "\r\n") + "\r\n", into: "stock", as: "short.csv")
        let held = try await Self.take(gateway)
        #expect(held.state == .held)
        #expect(held.errorSummary == "held for approval: 100 rows, 75% fewer than the last good file #1 (400 rows); to send it anyway: hafen approve 2")
        #expect(h.dir.exists("held/short.csv"))
        let report = try String(contentsOfFile: h.dir.file("held/short.csv.error.txt"), encoding: .utf8)
        #expect(report.contains("hafen approve 2"))

        let approved = try await gateway.approve(held.id)
        #expect(approved.state == .done)
        #expect(approved.retryOf == held.id)
        #expect(!h.dir.exists("held/short.csv"))
        #expect(!h.dir.exists("held/short.csv.error.txt"))
        await #expect(throws: GatewayError.self) { try await gateway.approve(approved.id) }
    }
}
