import Foundation
import Gateway
import HTTPTypes
import HafenTesting
import Ledger
import Testing

/// The ERP's shipment files become fulfillments with tracking: partial shipments by article,
/// whole orders without articles; unknown orders and over-shipped quantities are positioned
/// diagnostics; nothing is shipped twice, not even when the ledger forgets.
@Suite struct ShipmentImportTests {
    static let flow = """
        flows:
          shipments:
            source: inbox/shipments/*.csv
            schema: schemas/shipments.schema.json
            dialect: {delimiter: ";", encoding: windows-1252}
            settle: 0s
            on_error: skip-rows
            shops: [main]
            map:
              to: shipments
              shipment:
                order: Auftrag
                sku: Artikelnummer
                quantity: Menge
                carrier: Versender
                tracking_number: Sendungsnummer
                tracking_url: Tracking-URL
                notify: {const: true}
        """

    static func harness(_ simulator: SimulatorProcess? = nil) throws -> ExportHarness {
        let h = try ExportHarness(top: flow, simulator: simulator)
        try FileManager.default.copyItem(atPath: SharedFolder.projectRoot + "/schemas/shipments.schema.json", toPath: h.dir.file("schemas/shipments.schema.json"))
        return h
    }

    static func drop(_ h: ExportHarness, _ rows: [String], as name: String) throws {
        let text = (["Auftrag;Lieferschein;Artikelnummer;Menge;Versender;Sendungsnummer;Tracking-URL;Versanddatum"] + rows).joined(separator: "\r\n") + "\r\n"
        try h.dir.write(Array(text.data(using: .windowsCP1252)!), to: "inbox/shipments/" + name)
    }

    static func take(_ gateway: Gateway) async throws -> FileEntry {
        await gateway.scanOnce()
        return try #require(await gateway.scanOnce().finished.first)
    }

    static func fulfillment(_ h: ExportHarness, _ id: String) async throws -> (status: String, tracking: [String], remaining: [Int]) {
        let answer = try await h.simulator.graphQL("""
            { order(id: "\(id)") { displayFulfillmentStatus fulfillments(first: 10) { trackingInfo(first: 5) { number } }
              fulfillmentOrders(first: 5) { nodes { lineItems(first: 10) { nodes { remainingQuantity } } } } } }
            """)
        let order = try #require((answer.json["data"] as? [String: Any])?["order"] as? [String: Any], "\(answer.json)")
        let tracking = (order["fulfillments"] as? [[String: Any]] ?? []).flatMap { ($0["trackingInfo"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? String } }
        let lines = ((order["fulfillmentOrders"] as? [String: Any])?["nodes"] as? [[String: Any]] ?? []).flatMap {
            (($0["lineItems"] as? [String: Any])?["nodes"] as? [[String: Any]] ?? []).compactMap { $0["remainingQuantity"] as? Int }
        }
        return (order["displayFulfillmentStatus"] as? String ?? "", tracking, lines)
    }

    @Test func shipsByArticleOrWholeOrdersAndPositionsWhatCannotShip() async throws {
        let h = try Self.harness()
        let ids = try await h.seed("[\(ExportHarness.paidOrder), \(ExportHarness.paidOrder)]")
        try Self.drop(h, [
            "1001;LS-1;A-1;1;DHL;00340434161234567890;https://www.dhl.de/track?n=00340434161234567890;22.11.2026",
            "1001;LS-1;B-2;1;DHL;00340434161234567890;;22.11.2026",
            "#1002;LS-2;;;DPD;01505012345678;;22.11.2026",
            "1003;LS-3;A-1;1;DHL;999;;22.11.2026",
            "1001;LS-4;A-1;5;DHL;222;;22.11.2026",
            "1001;LS-5;Z-9;1;DHL;333;;22.11.2026",
        ], as: "VERSAND_20261122.csv")
        let gateway = try h.gateway()
        let entry = try await Self.take(gateway)
        #expect(entry.state == .partial)
        let first = try await Self.fulfillment(h, ids[0])
        #expect(first.status == "PARTIALLY_FULFILLED")
        #expect(first.tracking == ["00340434161234567890"])
        #expect(first.remaining == [1, 0])
        let second = try await Self.fulfillment(h, ids[1])
        #expect(second.status == "FULFILLED")
        #expect(second.tracking == ["01505012345678"])
        // Each problem names the file, line, field and value, in the report beside the file.
        let stored = try #require(try gateway.ledger.entry(entry.id)?.finalPath)
        let report = try String(contentsOfFile: stored + ".error.txt", encoding: .utf8)
        #expect(report.contains(##"line 5 (shipment.order): "#1003""##), "\(report)")
        #expect(report.contains("HS606"))
        #expect(report.contains("shipment.order"))
        #expect(report.contains("there is no order #1003"))
        #expect(report.contains(#"line 6 (shipment.quantity): "5""#))
        #expect(report.contains("HS607"))
        #expect(report.contains("order #1001 has 1 of A-1 left to ship; the file ships 5"))
        #expect(report.contains("order #1001 has no Z-9 left to ship"))
        let receipt = try ShopPushTests.receipt(gateway, entry.id)
        #expect(ShopPushTests.shopReport(receipt)["created"] as? Int == 2)
        #expect(ShopPushTests.shopReport(receipt)["refused"] as? Int == 3)
    }

    @Test func aShipmentIsNeverSentTwiceEvenByAnotherLedger() async throws {
        let h = try Self.harness()
        let ids = try await h.seed(ExportHarness.paidOrder)
        let rows = ["1001;LS-1;A-1;2;DHL;4711;;22.11.2026"]
        try Self.drop(h, rows, as: "a.csv")
        let gateway = try h.gateway()
        #expect(try await Self.take(gateway).state == .done)
        // The ERP sends the shipment again in a new file, with one more: only the new one ships.
        try Self.drop(h, rows + ["1001;LS-2;B-2;1;DHL;4712;;23.11.2026"], as: "b.csv")
        let second = try await Self.take(gateway)
        let report = ShopPushTests.shopReport(try ShopPushTests.receipt(gateway, second.id))
        #expect(report["created"] as? Int == 1)
        #expect(report["unchanged"] as? Int == 1)
        #expect(try await Self.fulfillment(h, ids[0]).status == "FULFILLED")
        // A second gateway with an empty ledger (a restored backup): the shop's tracking
        // numbers show both were sent; nothing is sent, nothing refused.
        let other = try Self.harness(h.simulator)
        try Self.drop(other, rows + ["1001;LS-2;B-2;1;DHL;4712;;23.11.2026"], as: "c.csv")
        let otherGateway = try other.gateway()
        let third = try await Self.take(otherGateway)
        #expect(third.state == .done)
        let thirdReport = ShopPushTests.shopReport(try ShopPushTests.receipt(otherGateway, third.id))
        #expect(thirdReport["unchanged"] as? Int == 2)
        #expect(thirdReport["created"] as? Int == 0)
        #expect(try await Self.fulfillment(h, ids[0]).tracking.sorted() == ["4711", "4712"])
    }

    /// One shipment `row` of order #1001, taken while the shop applies its fulfillment and
    /// loses the answer (the order is read, then fulfillmentCreate's answer never arrives).
    static func takeWithLostAnswer(_ row: String) async throws -> (ExportHarness, order: String, Gateway, FileEntry) {
        let h = try harness()
        let ids = try await h.seed(ExportHarness.paidOrder)
        try drop(h, [row], as: "a.csv")
        try await h.simulator.inject(#"[{"kind": "pass"}, {"kind": "drop-after-apply"}]"#)
        let gateway = try h.gateway()
        return (h, ids[0], gateway, try await take(gateway))
    }

    @Test func aLostAnswerIsResolvedByTheOrdersTrackingNumbersNotBySendingAgain() async throws {
        let (h, order, _, entry) = try await Self.takeWithLostAnswer("1001;LS-1;A-1;1;DHL;4711;;22.11.2026")
        let ids = [order]
        #expect(entry.state == .done)
        let shipped = try await Self.fulfillment(h, ids[0])
        #expect(shipped.tracking == ["4711"])
        #expect(shipped.remaining == [1, 1])
        let calls = try await h.simulator.calls()["by_operation"] as? [String: Int] ?? [:]
        #expect(calls["FulfillmentCreate"] == 1)
        #expect(calls["OrderForShipment"] == 2)
    }

    /// Without a tracking number the shop's fulfillments cannot show a shipment was sent: the
    /// intent the ledger noted before sending, and the quantities left, do.
    @Test func aShipmentWithoutTrackingIsNotSentTwiceAfterAKillBetweenTheShopsAnswerAndTheLedger() async throws {
        let h = try Self.harness()
        let ids = try await h.seed(ExportHarness.paidOrder)
        try Self.drop(h, ["1001;LS-1;A-1;1;DHL;;;22.11.2026"], as: "a.csv")
        let crashed = try h.hafen(["run", "--once", "--log-level", "error"], environment: ["HAFEN_CRASH_AT": "shipped"])
        #expect(crashed.status == 137, "\(crashed.stderr)")
        #expect(try await Self.fulfillment(h, ids[0]).remaining == [1, 1])
        let again = try h.hafen(["run", "--once", "--log-level", "notice"])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stderr.contains("had reached the shop"), "\(again.stderr)")
        let shipped = try await Self.fulfillment(h, ids[0])
        #expect(shipped.remaining == [1, 1], "sent twice: \(shipped)")
        #expect(shipped.status == "PARTIALLY_FULFILLED")
        let calls = try await h.simulator.calls()["by_operation"] as? [String: Int] ?? [:]
        #expect(calls["FulfillmentCreate"] == 1)
    }

    /// A lost answer without a tracking number fails the file (the outcome is unknown); its
    /// reprocess finds the shipment arrived and does not send it again.
    @Test func aLostAnswerWithoutTrackingIsResolvedAtReprocessByWhatIsLeftToShip() async throws {
        let (h, order, gateway, entry) = try await Self.takeWithLostAnswer("1001;LS-1;A-1;1;DHL;;;22.11.2026")
        #expect(entry.state == .failed)
        let retried = try await gateway.reprocess(entry.id)
        #expect(retried.state == .done, "\(retried)")
        #expect(try await Self.fulfillment(h, order).remaining == [1, 1])
        let calls = try await h.simulator.calls()["by_operation"] as? [String: Int] ?? [:]
        #expect(calls["FulfillmentCreate"] == 1)
    }

    @Test func theSimulatorRefusesFulfillingMoreThanIsLeft() async throws {
        let h = try Self.harness()
        let ids = try await h.seed(ExportHarness.paidOrder)
        let order = try await h.simulator.graphQL(#"{ order(id: "\#(ids[0])") { fulfillmentOrders(first: 1) { nodes { id lineItems(first: 5) { nodes { id sku } } } } } }"#)
        let node = try #require((((order.json["data"] as? [String: Any])?["order"] as? [String: Any])?["fulfillmentOrders"] as? [String: Any])?["nodes"] as? [[String: Any]])[0]
        let fulfillmentOrder = try #require(node["id"] as? String)
        let line = try #require(((node["lineItems"] as? [String: Any])?["nodes"] as? [[String: Any]])?.first?["id"] as? String)
        let mutation = "mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { fulfillment { id } userErrors { field message } } }"
        let tooMany = try await h.simulator.graphQL(mutation, variables: ["f": ["lineItemsByFulfillmentOrder": [["fulfillmentOrderId": fulfillmentOrder, "fulfillmentOrderLineItems": [["id": line, "quantity": 3]]]]]])
        #expect("\(tooMany.json)".contains("Invalid fulfillment order line item quantity requested."))
        // Without lines: everything left; afterwards the fulfillment order is closed.
        let all = try await h.simulator.graphQL(mutation, variables: ["f": ["lineItemsByFulfillmentOrder": [["fulfillmentOrderId": fulfillmentOrder]]]])
        #expect("\(all.json)".contains("gid://shopify/Fulfillment/"), "\(all.json)")
        let again = try await h.simulator.graphQL(mutation, variables: ["f": ["lineItemsByFulfillmentOrder": [["fulfillmentOrderId": fulfillmentOrder]]]])
        #expect("\(again.json)".contains("unfulfillable status= closed"), "\(again.json)")
        // The schema is Shopify's: an input field it does not have is refused before anything runs.
        let invalid = try await h.simulator.graphQL(mutation, variables: ["f": ["orderId": ids[0], "lineItemsByFulfillmentOrder": []]])
        #expect(invalid.json["data"] == nil)
        #expect("\(invalid.json["errors"] ?? "")".contains("orderId"), "\(invalid.json)")
    }
}
