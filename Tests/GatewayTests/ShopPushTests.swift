import Commerce
import Foundation
import Gateway
import HTTPTypes
import HafenTesting
import Ledger
import Logging
import Shops
import Testing

/// Files end up in a real simulated shop: planned against the ledger, pushed, recorded, receipted.
@Suite struct ShopPushTests {
    static let productsMap = """
            map:
              to: products
              where: Aktiv
              group_by: Variantengruppe
              tables:
                taxable: {"19": true, "7": true, "0": false}
              product:
                title: Bezeichnung
                description_html: {value: Langtext, on: create}
                product_type: Warengruppe
                status: {const: active}
              variant:
                sku: Artikelnummer
                barcode: EAN
                price: VK-Preis brutto
                weight: {value: Gewicht kg, unit: kg}
                taxable: {value: MwSt-Satz, table: taxable}
              options:
                Farbe: Farbe
                Größe: Größe
        """

    static let stockMap = """
            map:
              to: stock
              stock:
                sku: Artikelnummer
                location: {value: Lager, table: {HAUPT: Hauptlager, AUSSEN: Außenlager}}
                on_hand: Bestand
                reserved: Reserviert
        """

    static func harness(_ simulators: [(String, SimulatorProcess)], writes: String = "enabled", shopsOfFlows: String = "") throws -> GatewayHarness {
        var top = "shops:\n"
        for (name, simulator) in simulators {
            top += "  \(name):\n    store: \(simulator.store)\n    token: file:\(name).token\n    writes: \(writes)\n"
        }
        let h = try GatewayHarness(extraStock: stockMap + shopsOfFlows, extraProducts: productsMap + shopsOfFlows, top: top)
        for (name, simulator) in simulators { try h.dir.write(simulator.token + "\n", to: "\(name).token") }
        return h
    }

    static func take(_ gateway: Gateway) async throws -> FileEntry {
        await gateway.scanOnce()
        return try #require(await gateway.scanOnce().finished.first)
    }

    static func receipt(_ gateway: Gateway, _ id: Int64) throws -> [String: Any] {
        let json = try #require(try gateway.ledger.receipt(for: id)).json
        return try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
    }

    static func shopReport(_ receipt: [String: Any], _ index: Int = 0) -> [String: Any] {
        (receipt["shops"] as! [[String: Any]])[index]
    }

    /// The sample stock file again, a day later: new time stamps, one quantity changed.
    static func nextDayStock(changing sku: String, onHandTo value: Int) throws -> String {
        let text = try String(contentsOfFile: SharedFolder.projectRoot + "/samples/stock-20261122.csv", encoding: .windowsCP1252)
        return text.components(separatedBy: "\r\n").map { line -> String in
            var cells = line.components(separatedBy: ";")
            guard cells.count == 5, cells[0] != "Artikelnummer" else { return line }
            cells[4] = "23.11.2026 06:00"
            if cells[0] == sku { cells[2] = String(value) }
            return cells.joined(separator: ";")
        }.joined(separator: "\r\n")
    }

    @Test func pushesProductsAndStockThenSendsOnlyWhatChanged() async throws {
        let simulator = try SimulatorProcess()
        let h = try Self.harness([("demo", simulator)])
        try h.drop(sample: "products-20261122.csv", into: "products")
        let gateway = try h.gateway()
        let products = try await Self.take(gateway)
        #expect(products.state == .done)
        let state = try await simulator.admin(.get, "/admin/state") as! [String: Any]
        let inShop = (state["objects"] as! [String: Any])["products"] as! Int
        let productReceipt = try Self.receipt(gateway, products.id)
        let report = Self.shopReport(productReceipt)
        #expect(report["created"] as? Int == inShop)
        #expect(report["bulk_import"] as? Bool == true)  // more than 100 products
        #expect((productReceipt["rows"] as! [String: Int])["pushed"] == 214)  // the active rows
        #expect(productReceipt["api_calls"] as? Int ?? 0 >= 4)

        try h.drop(sample: "stock-20261122.csv", into: "stock")
        let stock = try await Self.take(gateway)
        #expect(stock.state == .partial)  // stock for SKUs the shop does not have is refused
        let stockReceipt = try Self.receipt(gateway, stock.id)
        let stockReport = Self.shopReport(stockReceipt)
        #expect(stockReport["created"] as? Int == 214)
        #expect(stockReport["refused"] as? Int == 186)
        let errors = stockReceipt["shop_errors"] as! [[String: Any]]
        #expect(errors.count == 186)
        #expect(errors.allSatisfy { $0["code"] as? String == "UNKNOWN_SKU" && $0["shop"] as? String == "demo" })
        #expect(try await simulator.inventory()["A-0000001@Hauptlager"] == 3887 - 42)

        try h.drop(text: try Self.nextDayStock(changing: "A-0000001", onHandTo: 100), into: "stock", as: "stock-20261123.csv")
        let calls = try await simulator.calls()["by_operation"] as! [String: Int]
        let next = try await Self.take(gateway)
        let nextReport = Self.shopReport(try Self.receipt(gateway, next.id))
        #expect(nextReport["updated"] as? Int == 1)
        #expect(nextReport["unchanged"] as? Int == 213)
        let after = try await simulator.calls()["by_operation"] as! [String: Int]
        #expect(after["InventorySetQuantities", default: 0] - calls["InventorySetQuantities", default: 0] == 1)
        #expect(try await simulator.inventory()["A-0000001@Hauptlager"] == 100 - 42)
    }

    @Test func aReExportWithTheSameContentSendsNothing() async throws {
        let simulator = try SimulatorProcess()
        let h = try Self.harness([("demo", simulator)])
        try h.drop(text: "Artikelnummer;Lager;Bestand;Reserviert;Stand\r\nA-1;HAUPT;5;1;01.01.2026 10:00\r\n", into: "stock", as: "a.csv")
        let gateway = try h.gateway()
        _ = try await Self.take(gateway)  // refused: the shop has no A-1
        // Create the product, then the same stock twice (new time stamp): one call, then none.
        let shop = try #require(gateway.shops["demo"])
        _ = await shop.setProducts([.init(handle: "a", title: .set("A"), variants: [.init(sku: "A-1", price: .set(1))])], reference: "t")
        try h.drop(text: "Artikelnummer;Lager;Bestand;Reserviert;Stand\r\nA-1;HAUPT;5;1;02.01.2026 10:00\r\n", into: "stock", as: "b.csv")
        let second = try await Self.take(gateway)
        #expect(Self.shopReport(try Self.receipt(gateway, second.id))["created"] as? Int == 1)
        try h.drop(text: "Artikelnummer;Lager;Bestand;Reserviert;Stand\r\nA-1;HAUPT;5;1;03.01.2026 10:00\r\n", into: "stock", as: "c.csv")
        let third = try await Self.take(gateway)
        let receipt = try Self.receipt(gateway, third.id)
        #expect(third.state == .done)
        #expect(Self.shopReport(receipt)["unchanged"] as? Int == 1)
        #expect(receipt["api_calls"] as? Int == 0)
        #expect((receipt["rows"] as! [String: Int])["unchanged"] == 1)
    }

    @Test func skipsStockForSKUsTheShopLacksWhenToldAndDoesNotAskAgainSoon() async throws {
        let simulator = try SimulatorProcess()
        let h = try Self.harness([("demo", simulator)], shopsOfFlows: "\n    unknown_skus: skip")
        try h.drop(text: "Artikelnummer;Lager;Bestand;Reserviert;Stand\r\nZ-1;HAUPT;5;1;01.01.2026 10:00\r\n", into: "stock", as: "a.csv")
        let gateway = try h.gateway()
        let first = try await Self.take(gateway)
        #expect(first.state == .done)
        let report = Self.shopReport(try Self.receipt(gateway, first.id))
        #expect(report["skipped"] as? Int == 1)
        #expect(report["refused"] as? Int == 0)
        try h.drop(text: "Artikelnummer;Lager;Bestand;Reserviert;Stand\r\nZ-1;HAUPT;6;1;02.01.2026 10:00\r\n", into: "stock", as: "b.csv")
        _ = try await Self.take(gateway)
        let operations = try await simulator.calls()["by_operation"] as! [String: Int]
        #expect(operations["VariantsBySKU"] == 1)  // the second file trusted the first answer
    }

    @Test func aMissingTokenIsAConfigurationErrorAtStartNamingOnlyTheReference() throws {
        let h = try GatewayHarness(top: "shops:\n  main:\n    store: example.myshopify.com\n    token: env:HAFEN_TEST_TOKEN_THAT_IS_NOT_SET\n")
        #expect {
            _ = try h.gateway()
        } throws: { error in
            "\(error)".contains("shops.main.token: the secret env:HAFEN_TEST_TOKEN_THAT_IS_NOT_SET is not set or is empty")
        }
    }

    /// Images go with a create, and again only when they change (productSet replaces the file
    /// list, so sending them with every price change would make the shop fetch them anew).
    @Test func sendsImagesWhenCreatedAndAgainOnlyWhenTheyChange() async throws {
        let simulator = try SimulatorProcess()
        let withImages = Self.productsMap.replacingOccurrences(
            of: "        product_type: Warengruppe\n",
            with: "        product_type: Warengruppe\n        images: \"'https://img.example/' & Artikelnummer & '.jpg'\"\n")
        let h = try GatewayHarness(
            extraProducts: withImages,
            top: "shops:\n  demo:\n    store: \(simulator.store)\n    token: file:demo.token\n")
        try h.dir.write(simulator.token, to: "demo.token")
        let text = try String(contentsOfFile: SharedFolder.projectRoot + "/samples/products-20261122.csv", encoding: .windowsCP1252)
        let header = text.components(separatedBy: "\r\n")[0]
        // One active single-variant article; then its price changes, its image does not.
        let rows = [
            "A-1;Becher;Text;4006381333931;9,90;19;Küche;0,3;;;;J;01.01.2026 10:00",
            "A-1;Becher;Text;4006381333931;12,90;19;Küche;0,3;;;;J;02.01.2026 10:00",
        ]
        let gateway = try h.gateway()
        try h.drop(text: header + "\r\n" + rows[0] + "\r\n", into: "products", as: "p1.csv")
        #expect(try await Self.take(gateway).state == .done)
        var products = try await simulator.admin(.get, "/admin/products") as! [[String: Any]]
        #expect(products[0]["images"] as? [String] == ["https://img.example/A-1.jpg"])
        try h.drop(text: header + "\r\n" + rows[1] + "\r\n", into: "products", as: "p2.csv")
        let second = try await Self.take(gateway)
        #expect(Self.shopReport(try Self.receipt(gateway, second.id))["updated"] as? Int == 1)
        products = try await simulator.admin(.get, "/admin/products") as! [[String: Any]]
        #expect(products[0]["images"] as? [String] == ["https://img.example/A-1.jpg"])
        #expect((products[0]["variants"] as! [[String: Any]])[0]["price"] as? String == "12.90")
        #expect(products[0]["image_sets"] as? Int == 1)
    }

    /// A product that left a complete export is set to draft in the shop: only its status is
    /// sent, so its variants and stock stay.
    @Test func setsAProductThatLeftTheExportToDraftAndKeepsItsVariants() async throws {
        let simulator = try SimulatorProcess()
        let map = Self.productsMap + "\n      missing: draft\n      missing_limit: 60%"
        let h = try GatewayHarness(extraProducts: map, top: "shops:\n  demo:\n    store: \(simulator.store)\n    token: file:demo.token\n")
        try h.dir.write(simulator.token, to: "demo.token")
        let header = try String(contentsOfFile: SharedFolder.projectRoot + "/samples/products-20261122.csv", encoding: .windowsCP1252)
            .components(separatedBy: "\r\n")[0]
        let mug = "A-1;Becher;Text;4006381333931;9,90;19;Küche;0,3;;;;J;01.01.2026 10:00"
        let cup = "A-2;Tasse;Text;4006381333948;7,90;19;Küche;0,2;;;;J;01.01.2026 10:00"
        let gateway = try h.gateway()
        try h.drop(text: [header, mug, cup, ""].joined(separator: "\r\n"), into: "products", as: "p1.csv")
        #expect(try await Self.take(gateway).state == .done)
        try h.drop(text: [header, mug, ""].joined(separator: "\r\n"), into: "products", as: "p2.csv")
        let second = try await Self.take(gateway)
        let report = Self.shopReport(try Self.receipt(gateway, second.id))
        #expect(report["deactivated"] as? Int == 1)
        #expect(report["unchanged"] as? Int == 1)
        let products = try await simulator.admin(.get, "/admin/products") as! [[String: Any]]
        let gone = try #require(products.first { $0["title"] as? String == "Tasse" })
        #expect(gone["status"] as? String == "DRAFT")
        #expect((gone["variants"] as! [[String: Any]]).map { $0["sku"] as? String } == ["A-2"])
        // Recorded as draft: the next export without it changes nothing more.
        try h.drop(text: [header, mug.replacingOccurrences(of: "01.01.2026", with: "02.01.2026"), ""].joined(separator: "\r\n"), into: "products", as: "p3.csv")
        let third = try await Self.take(gateway)
        #expect(Self.shopReport(try Self.receipt(gateway, third.id))["deactivated"] as? Int == 0)
    }

    /// The daemon dies (kill -9) after the first of three stock batches: the restart sends the
    /// other two, and the shop applies every batch once.
    @Test func aCrashInTheMiddleOfAPushSendsTheRestAfterTheRestart() async throws {
        let simulator = try SimulatorProcess()
        let h = try Self.harness([("demo", simulator)])
        let client = ShopifyClient(shop: "setup", store: simulator.store, apiVersion: "2026-07", token: simulator.token)
        let variants = (1...600).map { Variant(sku: String(format: "N-%04d", $0), price: .set(1), optionValues: ["\($0)"]) }
        _ = await ShopifyShop(name: "setup", client: client).setProducts(
            [Product(handle: "n", title: .set("N"), optionNames: ["Nr"], variants: variants)], reference: "setup")
        let rows = (1...600).map { String(format: "N-%04d;HAUPT;%d;0;01.01.2026 10:00", $0, $0) }
        try h.drop(text: (["Artikelnummer;Lager;Bestand;Reserviert;Stand"] + rows + [""]).joined(separator: "\r\n"), into: "stock", as: "s.csv")
        let crashed = try h.hafen(["run", "--once"], environment: ["HAFEN_CRASH_AT": "pushed-batch"])
        #expect(crashed.status == 137, "\(crashed.stderr)")
        func groups() async throws -> Int? {
            ((try await simulator.admin(.get, "/admin/state") as! [String: Any])["objects"] as! [String: Any])["adjustment_groups"] as? Int
        }
        #expect(try await groups() == 1)
        let restarted = try h.hafen(["run", "--once"])
        #expect(restarted.status == 0, "\(restarted.stderr)")
        #expect(try await groups() == 3)  // ceil(600 / 250): none applied twice
        let stock = try await simulator.inventory()
        #expect(stock["N-0001@Hauptlager"] == 1 && stock["N-0600@Hauptlager"] == 600)
        let receipt = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: h.dir.file(
            "outbox/receipts/stock/" + (h.dir.list("outbox/receipts/stock").first ?? ""))))) as! [String: Any]
        let report = Self.shopReport(receipt)
        #expect(report["created"] as? Int == 350)
        #expect(report["unchanged"] as? Int == 250)
    }

    @Test func blockedWritesSendNothing() async throws {
        let simulator = try SimulatorProcess()
        let h = try Self.harness([("demo", simulator)], writes: "blocked")
        try h.drop(sample: "products-20261122.csv", into: "products")
        let gateway = try h.gateway()
        let entry = try await Self.take(gateway)
        let receipt = try Self.receipt(gateway, entry.id)
        let report = Self.shopReport(receipt)
        #expect(report["writes_blocked"] as? Bool == true)
        #expect(report["not_sent"] as? Int ?? 0 > 0)
        #expect(receipt["api_calls"] as? Int == 0)
        #expect(((try await simulator.admin(.get, "/admin/state") as! [String: Any])["objects"] as! [String: Any])["products"] as? Int == 0)
        #expect((receipt["errors"] as! [[String: Any]]).contains { $0["code"] as? String == "HS605" })
    }

    @Test func aShopThatFailsMidwayFailsTheFileAndReprocessingSendsTheRest() async throws {
        let simulator = try SimulatorProcess()
        let h = try Self.harness([("demo", simulator)])
        try h.drop(sample: "products-20261122.csv", into: "products")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        // One call per product (no bulk import) and a quick retry policy; call 11 onwards fails.
        let client = ShopifyClient(
            shop: "demo", store: simulator.store, apiVersion: "2026-07", token: simulator.token,
            retry: .init(attempts: 3, baseDelay: .milliseconds(20), maximumDelay: .milliseconds(50)))
        let shop = ShopifyShop(name: "demo", client: client, bulkThreshold: 10_000)
        let gateway = try Gateway(config: h.config(), logger: logger, shops: ["demo": shop])
        try await simulator.inject("[" + Array(repeating: #"{"kind": "pass"}"#, count: 10).joined(separator: ",") + ","
            + Array(repeating: #"{"kind": "http", "status": 503}"#, count: 3).joined(separator: ",") + "]")
        let failed = try await Self.take(gateway)
        #expect(failed.state == .failed)
        #expect(failed.errorSummary?.contains("shop demo is unavailable") == true)
        #expect(failed.errorSummary?.contains("hafen reprocess \(failed.id) sends the rest") == true)
        let report = Self.shopReport(try Self.receipt(gateway, failed.id))
        #expect(report["created"] as? Int == 10)
        let errorReport = try String(contentsOfFile: h.dir.file("failed/products-20261122.csv.error.txt"), encoding: .utf8)
        #expect(errorReport.contains("HS602"))

        let retried = try await gateway.reprocess(failed.id)
        #expect(retried.state == .done)
        let second = Self.shopReport(try Self.receipt(gateway, retried.id))
        #expect(second["unchanged"] as? Int == 10)
        #expect(second["created"] as! Int + 10 == report["created"] as! Int + (report["not_sent"] as! Int))
    }

    @Test func sendsTheSameFileToSeveralShopsEachWithItsOwnState() async throws {
        let first = try SimulatorProcess(), second = try SimulatorProcess()
        let h = try Self.harness([("a", first), ("b", second)], shopsOfFlows: "\n    shops: [a, b]")
        try h.drop(text: "Artikelnummer;Lager;Bestand;Reserviert;Stand\r\nA-1;HAUPT;5;1;01.01.2026 10:00\r\n", into: "stock", as: "s.csv")
        let gateway = try h.gateway()
        for name in ["a", "b"] {
            _ = await gateway.shops[name]!.setProducts([.init(handle: "a", title: .set("A"), variants: [.init(sku: "A-1", price: .set(1))])], reference: "t")
        }
        let entry = try await Self.take(gateway)
        let receipt = try Self.receipt(gateway, entry.id)
        #expect((receipt["shops"] as! [[String: Any]]).map { $0["shop"] as? String } == ["a", "b"])
        #expect(try await first.inventory()["A-1@Hauptlager"] == 4)
        #expect(try await second.inventory()["A-1@Hauptlager"] == 4)
        #expect(try gateway.ledger.recordStates(shop: "a", kind: "stock").count == 1)
        #expect(try gateway.ledger.recordStates(shop: "b", kind: "stock").count == 1)
    }
}
