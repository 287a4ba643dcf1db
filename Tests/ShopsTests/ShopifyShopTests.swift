import Commerce
import Foundation
import HTTP
import HTTPTypes
import HafenTesting
import Shops
import Synchronization
import Testing

/// The connector against a real simulator process over HTTP (libcurl): batching, resolving in
/// bulk, per-object errors, idempotent resends, throttling and retries, bulk import.
@Suite struct ShopifyShopTests {
    static func shop(_ simulator: SimulatorProcess, timeout: Duration = .seconds(10), bulkThreshold: Int = 100) -> ShopifyShop {
        let client = ShopifyClient(
            shop: "test", store: simulator.store, apiVersion: "2026-07", token: simulator.token, http: .init(timeout: timeout),
            retry: .init(attempts: 5, baseDelay: .milliseconds(50), maximumDelay: .milliseconds(500)))
        return ShopifyShop(name: "test", client: client, bulkThreshold: bulkThreshold, bulkPollInterval: .milliseconds(50))
    }

    /// One product "Nummer" with `count` variants N-0001…, one option with a value each.
    static func numbered(_ count: Int, handle: String = "numbers", prefix: String = "N") -> Product {
        let variants = (1...count).map { Variant(sku: String(format: "\(prefix)-%04d", $0), price: .set(1), optionValues: ["\($0)"]) }
        return Product(handle: handle, title: .set("Numbers"), status: .set(.active), optionNames: ["Nummer"], variants: variants)
    }

    static func ids(_ outcome: ObjectOutcome?) -> [String: String] {
        if case .applied(let ids) = outcome { return ids }
        return [:]
    }

    static func operations(_ simulator: SimulatorProcess) async throws -> [String: Int] {
        try await simulator.calls()["by_operation"] as? [String: Int] ?? [:]
    }

    @Test func createsAProductWithVariantsAndRemembersTheirIds() async throws {
        let simulator = try SimulatorProcess()
        let shop = Self.shop(simulator)
        let shirt = Product(
            handle: "shirt", title: .set("Shirt"), descriptionHTML: .set("<p>Cotton</p>"), status: .set(.active), optionNames: ["Größe"],
            variants: [
                Variant(sku: "SH-S", barcode: .set("4006381333931"), price: .set(Decimal(string: "19.9")!), optionValues: ["S"]),
                Variant(sku: "SH-M", price: .set(Decimal(string: "19.9")!), weight: .set(Weight(value: 0.2, unit: .kilograms)), optionValues: ["M"]),
            ])
        let plain = Product(handle: "mug", title: .set("Mug"), variants: [Variant(sku: "MUG", price: .set(5))])
        let outcomes = await shop.setProducts([shirt, plain], reference: "f1").items
        #expect(Self.ids(outcomes[0]).keys.sorted() == ["item:SH-M", "item:SH-S", "product", "variant:SH-M", "variant:SH-S"])
        #expect(Self.ids(outcomes[1])["item:MUG"] != nil)
        let products = try await simulator.admin(.get, "/admin/products") as! [[String: Any]]
        let variants = products[0]["variants"] as! [[String: Any]]
        #expect(products[0]["descriptionHtml"] as? String == "<p>Cotton</p>")
        #expect(variants.map { $0["price"] as? String } == ["19.90", "19.90"])
        #expect(variants[0]["barcode"] as? String == "4006381333931")
        #expect((products[1]["variants"] as! [[String: Any]])[0]["title"] as? String == "Default Title")
    }

    @Test func refusesABadProductWithoutSinkingTheOthers() async throws {
        let simulator = try SimulatorProcess()
        let shop = Self.shop(simulator)
        let bad = Product(handle: "bad", title: .set("Bad"), variants: [Variant(sku: "B-1", price: .set(-3))])
        let good = Product(handle: "good", title: .set("Good"), variants: [Variant(sku: "G-1", price: .set(3))])
        let outcomes = await shop.setProducts([bad, good], reference: "f2").items
        guard case .refused(let error) = outcomes[0] else { Issue.record("the bad product was accepted"); return }
        #expect(error.code == "INVALID_VARIANT")
        #expect(error.field == "input.variants.0.price")
        #expect(Self.ids(outcomes[1])["product"] != nil)
    }

    @Test func sendsImagesAsFilesAndRefusesAnAddressThatIsNotOne() async throws {
        let simulator = try SimulatorProcess()
        let shop = Self.shop(simulator)
        let good = Product(handle: "mug", title: .set("Mug"), imageURLs: .set(["https://img.example/mug.jpg"]), variants: [Variant(sku: "M", price: .set(5))])
        let bad = Product(handle: "cup", title: .set("Cup"), imageURLs: .set(["not a url"]), variants: [Variant(sku: "C", price: .set(5))])
        let outcomes = await shop.setProducts([good, bad], reference: "img").items
        #expect(Self.ids(outcomes[0])["product"] != nil)
        guard case .refused(let error) = outcomes[1] else { Issue.record("the bad image address was accepted"); return }
        #expect(error.field == "input.files.0.originalSource")
        let products = try await simulator.admin(.get, "/admin/products") as! [[String: Any]]
        #expect(products.map { $0["images"] as? [String] } == [["https://img.example/mug.jpg"]])
    }

    @Test func setsStockInBatchesOf250WithOneCallEach() async throws {
        let simulator = try SimulatorProcess()
        let shop = Self.shop(simulator)
        _ = await shop.setProducts([Self.numbered(600)], reference: "p").items
        let locations = try await shop.locations()
        #expect(locations.keys.sorted() == ["Außenlager", "Hauptlager"])
        let skus = (1...600).map { String(format: "N-%04d", $0) }
        let found = try await shop.variants(skus: skus + ["NOPE"])
        #expect(found.count == 600)
        #expect(found["NOPE"] == nil)
        let changes = skus.enumerated().map { StockChange(sku: $1, inventoryItemID: found[$1]!.inventoryItemID, locationID: locations["Hauptlager"]!, quantity: $0) }
        let outcomes = await shop.setStock(changes, reference: "abc").items
        #expect(outcomes.allSatisfy { $0 == .applied(ids: [:]) })
        let operations = try await Self.operations(simulator)
        #expect(operations["InventorySetQuantities"] == 3)  // ceil(600 / 250)
        #expect(operations["VariantsBySKU"] == 7)  // 601 SKUs, 100 per lookup
        let stock = try await simulator.inventory()
        #expect(stock["N-0001@Hauptlager"] == 0)
        #expect(stock["N-0600@Hauptlager"] == 599)
    }

    @Test func findsSKUsWithSpacesQuotesAndColons() async throws {
        let simulator = try SimulatorProcess()
        let shop = Self.shop(simulator)
        let odd = ["A 1", "B\"2", "C:3", "D\\4"]
        let product = Product(
            handle: "odd", title: .set("Odd"), optionNames: ["N"],
            variants: odd.enumerated().map { Variant(sku: $1, price: .set(1), optionValues: ["\($0)"]) })
        _ = await shop.setProducts([product], reference: "p")
        let found = try await shop.variants(skus: odd + ["A"])
        #expect(Set(found.keys) == Set(odd))
    }

    @Test func oneRefusedQuantityDoesNotSinkItsBatch() async throws {
        let simulator = try SimulatorProcess()
        let shop = Self.shop(simulator)
        let ids = Self.ids(await shop.setProducts([Self.numbered(3)], reference: "p").items[0])
        let location = try await shop.locations()["Hauptlager"]!
        let changes = [
            StockChange(sku: "N-0001", inventoryItemID: ids["item:N-0001"]!, locationID: location, quantity: 4),
            StockChange(sku: "GONE", inventoryItemID: "gid://shopify/InventoryItem/999999", locationID: location, quantity: 1),
            StockChange(sku: "N-0003", inventoryItemID: ids["item:N-0003"]!, locationID: location, quantity: 6),
        ]
        let outcomes = await shop.setStock(changes, reference: "f3").items
        #expect(outcomes[0] == .applied(ids: [:]))
        #expect(outcomes[1] == .refused(ShopObjectError(
            code: "INVALID_INVENTORY_ITEM", field: "input.quantities.1.inventoryItemId", message: "The specified inventory item could not be found.")))
        #expect(outcomes[2] == .applied(ids: [:]))
        let stock = try await simulator.inventory()
        #expect(stock["N-0001@Hauptlager"] == 4)
        #expect(stock["N-0003@Hauptlager"] == 6)
    }

    /// The answer is lost (the simulator applies the batch, then answers after the client's
    /// timeout): the client sends the batch again with the same idempotency key and the shop
    /// applies it once.
    @Test func resendsABatchWhoseAnswerWasLostAndItIsAppliedOnce() async throws {
        let simulator = try SimulatorProcess()
        let shop = Self.shop(simulator, timeout: .seconds(2))
        let ids = Self.ids(await shop.setProducts([Self.numbered(2)], reference: "p").items[0])
        let location = try await shop.locations()["Hauptlager"]!
        try await simulator.inject(#"[{"kind": "lost-answer", "ms": 5000}]"#)
        let outcomes = await shop.setStock(
            [StockChange(sku: "N-0001", inventoryItemID: ids["item:N-0001"]!, locationID: location, quantity: 9)], reference: "f4").items
        #expect(outcomes == [.applied(ids: [:])])
        let state = try await simulator.admin(.get, "/admin/state") as! [String: Any]
        #expect((state["objects"] as! [String: Any])["adjustment_groups"] as? Int == 1)
        #expect(try await Self.operations(simulator)["InventorySetQuantities"] == 2)
        #expect(await shop.statistics().retries == 1)
    }

    /// The connection drops mid-answer after the shop applied the batch, then once before it
    /// did anything: both times the batch goes again under its key and is applied once.
    @Test func sendsABatchAgainAfterADroppedConnectionAndItIsAppliedOnce() async throws {
        let simulator = try SimulatorProcess()
        let shop = Self.shop(simulator)
        let ids = Self.ids(await shop.setProducts([Self.numbered(1)], reference: "p").items[0])
        try await simulator.inject(#"[{"kind": "drop-after-apply"}, {"kind": "drop"}]"#)
        let outcomes = await shop.setStock(
            [StockChange(sku: "N-0001", inventoryItemID: ids["item:N-0001"]!, locationID: "gid://shopify/Location/1", quantity: 5)], reference: "d")
        #expect(outcomes.items == [.applied(ids: [:])])
        #expect(outcomes.failure == nil)
        let state = try await simulator.admin(.get, "/admin/state") as! [String: Any]
        #expect((state["objects"] as! [String: Any])["adjustment_groups"] as? Int == 1)
        #expect(await shop.statistics().retries == 2)
        #expect(try await simulator.inventory()["N-0001@Hauptlager"] == 5)
    }

    @Test func waitsAndSendsAgainWhenThrottledOrRefusedFor429And5xx() async throws {
        let simulator = try SimulatorProcess()
        let shop = Self.shop(simulator)
        try await simulator.inject(#"[{"kind": "throttled"}, {"kind": "http", "status": 429, "retry_after": 1}, {"kind": "http", "status": 503}]"#)
        let started = ContinuousClock.now
        let locations = try await shop.locations()
        #expect(locations.count == 2)
        #expect(ContinuousClock.now - started >= .seconds(1))  // Retry-After was honoured
        let statistics = await shop.statistics()
        #expect(statistics.apiCalls == 4)
        #expect(statistics.retries == 3)
        #expect(statistics.throttledAnswers == 2)
    }

    /// A daemon that stops does not wait out a Retry-After or an empty bucket for a read.
    @Test func leavesAWaitToTryAgainWhenTheCallerStops() async throws {
        let simulator = try SimulatorProcess()
        let shop = Self.shop(simulator)
        try await simulator.inject(#"[{"kind": "http", "status": 429, "retry_after": 60}]"#)
        let stopping = StopFlag()
        // Raised from a thread of its own: the test run's shared task threads may be busy.
        Thread.detachNewThread {
            usleep(300_000)
            stopping.raise()
        }
        let started = ContinuousClock.now
        let result: Result<[String: String], ShopError> = await ShopStop.$requested.withValue(ShopStop.Condition { stopping.isRaised }) {
            do throws(ShopError) { return .success(try await shop.locations()) } catch { return .failure(error) }
        }
        #expect(result == .failure(.stopped(shop: "test")))
        #expect(ContinuousClock.now - started < .seconds(30), "the 60 s Retry-After was waited out")
        #expect(await shop.statistics().apiCalls == 1)
        // Asked to stop before a call, the call is not sent at all; without the request it is.
        let again: Result<[String: String], ShopError> = await ShopStop.$requested.withValue(ShopStop.Condition { true }) {
            do throws(ShopError) { return .success(try await shop.locations()) } catch { return .failure(error) }
        }
        #expect(again == .failure(.stopped(shop: "test")))
        #expect(await shop.statistics().apiCalls == 1)
        #expect(try await shop.locations().count == 2)
    }

    @Test func reportsAnUnknownOutcomeInsteadOfResendingABulkRun() async throws {
        let simulator = try SimulatorProcess()
        let shop = Self.shop(simulator, timeout: .seconds(1), bulkThreshold: 1)
        // stagedUploadsCreate answers; the bulk run's answer is lost.
        try await simulator.inject(#"[{"kind": "slow", "ms": 0}, {"kind": "lost-answer", "ms": 2500}]"#)
        let products = [Self.numbered(2, handle: "a", prefix: "A"), Self.numbered(2, handle: "b", prefix: "B")]
        let outcomes = await shop.setProducts(products, reference: "f5")
        guard case .outcomeUnknown = outcomes.failure else { Issue.record("expected an unknown outcome, got \(String(describing: outcomes.failure))"); return }
        #expect(outcomes.items == [nil, nil])
        #expect(try await Self.operations(simulator)["BulkOperationRunMutation"] == 1)
    }

    @Test func importsManyProductsAsOneBulkOperation() async throws {
        let simulator = try SimulatorProcess()
        let shop = Self.shop(simulator, bulkThreshold: 2)
        var products = (1...5).map { Self.numbered(3, handle: "p\($0)", prefix: "P\($0)") }
        products.append(Product(handle: "broken", title: .set("Broken"), variants: [Variant(sku: "X", price: .set(-1))]))
        let outcomes = await shop.setProducts(products, reference: "f6").items
        #expect(outcomes.prefix(5).allSatisfy { Self.ids($0)["item:" + "P1-0001"] != nil || Self.ids($0)["product"] != nil })
        guard case .refused(let error) = outcomes[5] else { Issue.record("the broken product was accepted"); return }
        #expect(error.code == "INVALID_VARIANT")
        let operations = try await Self.operations(simulator)
        #expect(operations["ProductSet"] == nil)  // nothing went one by one
        #expect(operations["BulkOperationRunMutation"] == 1)
        let state = try await simulator.admin(.get, "/admin/state") as! [String: Any]
        #expect((state["objects"] as! [String: Any])["products"] as? Int == 5)
    }

    @Test func pacesCallsByTheBucketInsteadOfBeingThrottled() async throws {
        let simulator = try SimulatorProcess(arguments: ["--bucket", "40", "--restore-rate", "20"])
        let shop = Self.shop(simulator)
        let ids = Self.ids(await shop.setProducts([Self.numbered(1)], reference: "p").items[0])
        let location = "gid://shopify/Location/1"
        // Eight single-entry batches need 80 points; the bucket holds 40 and restores 20/s.
        let started = ContinuousClock.now
        for round in 0..<8 {
            _ = await shop.setStock(
                [StockChange(sku: "N-0001", inventoryItemID: ids["item:N-0001"]!, locationID: location, quantity: round)], reference: "r\(round)").items
        }
        let elapsed = ContinuousClock.now - started
        let calls = try await simulator.calls()
        #expect(calls["throttled"] as? Int == 0)
        #expect(await shop.statistics().throttledAnswers == 0)
        #expect(elapsed >= .seconds(2))  // (10 + 80 − 40) points at 20 per second
    }
}

/// A stop request another task raises.
final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    func raise() { raised.store(true, ordering: .relaxed) }
    var isRaised: Bool { raised.load(ordering: .relaxed) }
}
