import Foundation
import Gateway
import HTTPTypes
import HafenTesting
import Ledger
import Testing

/// Refunds become credit documents: one file per refund, numbered after the order, with the
/// refunded lines, restock flags, shipping and amounts; each written once.
@Suite struct RefundExportTests {
    static let refundsFlow = """
          refunds:
            kind: refunds
            target: outbox/refunds
            decimal_separator: ","
            dialect: {encoding: windows-1252}
            date_format: dd.MM.yyyy
            shipping_as_line: VERSAND
            columns:
              Gutschrift: refund.number
              Auftrag: order.number
              Pos: line.number
              Artikel: line.sku
              Menge: line.quantity
              Betrag: line.total
              MwSt: line.tax_amount
              Lager: {value: line.restock, table: {"true": J, "false": N}}
              Summe: refund.total
              Zahlart: refund.gateway
              Notiz: refund.note
        """

    static func harness() throws -> ExportHarness { try ExportHarness(flows: refundsFlow) }

    static func refund(_ h: ExportHarness, _ orderID: String, _ json: String) async throws -> [String: Any] {
        let answer = try await h.simulator.admin(.post, "/admin/orders/\(orderID.split(separator: "/").last!)/refunds", json: json)
        return (answer as? [[String: Any]])?.first ?? answer as? [String: Any] ?? [:]
    }

    @Test func writesACreditDocumentPerRefundWithLinesRestockAndShipping() async throws {
        let h = try Self.harness()
        let ids = try await h.seed(ExportHarness.paidOrder)
        let gateway = try h.gateway()
        let flow = try #require(try h.config().export(named: "refunds"))
        // Nothing refunded yet: the refunds flow writes nothing.
        #expect(try await gateway.poll(flow).writtenCount == 0)
        let answer = try await Self.refund(h, ids[0], """
            {"note": "Becher zerbrochen", "lines": [{"sku": "A-1", "quantity": 1, "restock": false}, {"sku": "B-2", "quantity": 1}], "shipping": true}
            """)
        #expect(answer["amount"] as? String == "19.30")
        let run = try await gateway.poll(flow)
        #expect(run.written[.original] == 1)
        #expect(h.files("refunds") == ["refunds_1001-G1.csv"])
        let rows = try h.rows("refunds_1001-G1.csv", in: "refunds")
        #expect(rows.count == 4)
        #expect(rows[0] == ["Gutschrift", "Auftrag", "Pos", "Artikel", "Menge", "Betrag", "MwSt", "Lager", "Summe", "Zahlart", "Notiz"])
        #expect(rows[1] == ["1001-G1", "1001", "1", "A-1", "1", "9,90", "1,58", "N", "19,30", "paypal", "Becher zerbrochen"])
        #expect(rows[2] == ["1001-G1", "1001", "2", "B-2", "1", "4,50", "0,29", "J", "19,30", "paypal", "Becher zerbrochen"])
        #expect(rows[3] == ["1001-G1", "1001", "3", "VERSAND", "1", "4,90", "0,78", "N", "19,30", "paypal", "Becher zerbrochen"])
        #expect(try h.dir.read("outbox/refunds/refunds_1001-G1.csv.sha256").hasSuffix("  refunds_1001-G1.csv\n"))
        // Polling again writes nothing; a second refund becomes the order's second credit document.
        #expect(try await gateway.poll(flow).writtenCount == 0)
        _ = try await Self.refund(h, ids[0], #"{"lines": [{"sku": "A-1", "quantity": 1}]}"#)
        let second = try await gateway.poll(flow)
        #expect(second.written[.original] == 1)
        #expect(second.seen == 1)
        #expect(h.files("refunds") == ["refunds_1001-G1.csv", "refunds_1001-G2.csv"])
        #expect(try h.rows("refunds_1001-G2.csv", in: "refunds").count == 2)
    }

    @Test func theOrderFlowIsNotDisturbedByARefundOfAnExportedOrder() async throws {
        let h = try Self.harness()
        let ids = try await h.seed(ExportHarness.paidOrder)
        let gateway = try h.gateway()
        #expect(try await gateway.poll(h.flow()).written[.original] == 1)
        _ = try await Self.refund(h, ids[0], #"{"lines": [{"sku": "B-2", "quantity": 1}]}"#)
        // The order's exported fields did not change: no amendment, no review.
        let run = try await gateway.poll(h.flow())
        #expect(run.writtenCount == 0)
        #expect(run.review.isEmpty)
        #expect(h.files() == ["orders_1001_original.csv"])
    }

    @Test func theSimulatorRefusesToRefundMoreThanWasBought() async throws {
        let h = try Self.harness()
        let ids = try await h.seed(ExportHarness.paidOrder)
        let tooMany = try await Self.refund(h, ids[0], #"{"lines": [{"sku": "A-1", "quantity": 3}]}"#)
        #expect((tooMany["error"] as? String)?.contains("only 2 of A-1 can still be refunded") == true, "\(tooMany)")
        let unknown = try await Self.refund(h, ids[0], #"{"lines": [{"sku": "Z-9", "quantity": 1}]}"#)
        #expect((unknown["error"] as? String)?.contains("lines[0]: the order has no such line") == true, "\(unknown)")
        _ = try await Self.refund(h, ids[0], #"{"lines": [{"sku": "A-1", "quantity": 2}, {"sku": "B-2", "quantity": 1}], "shipping": true}"#)
        let order = try await h.simulator.graphQL(#"{ order(id: "\#(ids[0])") { displayFinancialStatus refunds { totalRefundedSet { shopMoney { amount } } } } }"#)
        #expect("\(order)".contains("REFUNDED"))
        #expect("\(order)".contains("29.2"))
    }

    @Test func reexportWritesAnOrdersRefundsAgainAsReexports() async throws {
        let h = try Self.harness()
        let ids = try await h.seed(ExportHarness.paidOrder)
        let gateway = try h.gateway()
        let flow = try #require(try h.config().export(named: "refunds"))
        _ = try await gateway.poll(h.flow())
        _ = try await Self.refund(h, ids[0], #"{"lines": [{"sku": "B-2", "quantity": 1}]}"#)
        _ = try await gateway.poll(flow)
        let run = try await gateway.reexport(flow, reference: ids[0])
        #expect(run.written[.reexport] == 1)
        #expect(h.files("refunds").count == 2)
        // By name: the order export's ledger knows #1001, so its credit document G1 can be named.
        #expect(try await gateway.reexport(flow, reference: "#1001-G1").written[.reexport] == 1)
        #expect(h.files("refunds").count == 3)
        await #expect(throws: (any Error).self) { try await gateway.reexport(flow, reference: "#1001-G2") }
        await #expect(throws: (any Error).self) { try await gateway.reexport(flow, reference: "#1002") }
    }
}
