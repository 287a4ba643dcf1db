import Foundation
import HafenTesting
import HTTPTypes
import Testing

/// The simulator holds callers to Shopify's rules: schema validation with Shopify's error shape,
/// the token, the runtime rules of the inventory mutation, idempotency, productSet's semantics,
/// pagination limits and the cost-based rate limit. Each test runs a real simulator process.
@Suite struct SimulatorRulesTests {
    static let setQuantities = """
        mutation Set($input: InventorySetQuantitiesInput!, $key: String!) {
          inventorySetQuantities(input: $input) @idempotent(key: $key) { inventoryAdjustmentGroup { id } userErrors { field message code } }
        }
        """

    static let productSet = """
        mutation P($identifier: ProductSetIdentifiers, $input: ProductSetInput!) {
          productSet(identifier: $identifier, input: $input) {
            product { id handle variants(first: 10) { nodes { id sku inventoryItem { id } } } }
            userErrors { field message code }
          }
        }
        """

    /// One product with sizes S and M; returns the inventory item ids by SKU.
    static func createShirt(_ simulator: SimulatorProcess) async throws -> [String: String] {
        let answer = try await simulator.graphQL(productSet, variables: [
            "identifier": ["handle": "shirt"],
            "input": [
                "title": "Shirt", "productOptions": [["name": "Size", "values": [["name": "S"], ["name": "M"]]]],
                "variants": [
                    ["sku": "SH-S", "price": "10.00", "optionValues": [["optionName": "Size", "name": "S"]]],
                    ["sku": "SH-M", "price": "10.00", "optionValues": [["optionName": "Size", "name": "M"]]],
                ],
            ],
        ])
        let nodes = (((answer.json["data"] as? [String: Any])?["productSet"] as? [String: Any])?["product"] as? [String: Any])
            .flatMap { ($0["variants"] as? [String: Any])?["nodes"] as? [[String: Any]] } ?? []
        var items: [String: String] = [:]
        for node in nodes { items[node["sku"] as! String] = (node["inventoryItem"] as! [String: Any])["id"] as? String }
        return items
    }

    static func errors(_ json: [String: Any]) -> [[String: Any]] { json["errors"] as? [[String: Any]] ?? [] }

    static func code(_ error: [String: Any]) -> String? { (error["extensions"] as? [String: Any])?["code"] as? String }

    @Test func rejectsAnOperationThatDoesNotValidateWithErrorsOnlyAndNoCost() async throws {
        let simulator = try SimulatorProcess()
        let answer = try await simulator.graphQL("{ shop { name } }")
        #expect(answer.status == 200)
        #expect(answer.json["data"] == nil)
        #expect(answer.json["extensions"] == nil)
        #expect((Self.errors(answer.json).first?["message"] as? String)?.contains("Cannot query field \"shop\"") == true)
        let misspelt = try await simulator.graphQL("{ locations(first: 5) { nodes { id nam } } }")
        #expect(Self.errors(misspelt.json).count == 1)
        #expect(misspelt.json["data"] == nil)
    }

    @Test func refusesCallsWithoutTheRightToken() async throws {
        let simulator = try SimulatorProcess()
        let answer = try await simulator.graphQL("{ locations(first: 5) { nodes { id } } }", token: "wrong")
        #expect(answer.status == 401)
    }

    @Test func requiresTheIdempotentDirectiveAndChangeFromQuantity() async throws {
        let simulator = try SimulatorProcess()
        let items = try await Self.createShirt(simulator)
        let quantity: [String: Any] = ["inventoryItemId": items["SH-S"]!, "locationId": "gid://shopify/Location/1", "quantity": 5]
        let noKey = try await simulator.graphQL(
            "mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }",
            variables: ["input": ["name": "available", "reason": "correction", "quantities": [quantity.merging(["changeFromQuantity": NSNull()]) { $1 }]]])
        #expect(Self.code(Self.errors(noKey.json)[0]) == "BAD_REQUEST")
        #expect((noKey.json["data"] as? [String: Any])?["inventorySetQuantities"] is NSNull)

        let noChangeFrom = try await simulator.graphQL(Self.setQuantities, variables: [
            "key": "k1", "input": ["name": "available", "reason": "correction", "quantities": [quantity]],
        ])
        #expect(Self.code(Self.errors(noChangeFrom.json)[0]) == "INVALID_FIELD_ARGUMENTS")
        #expect(try await simulator.inventory()["SH-S@Hauptlager"] == 0)
    }

    @Test func appliesAnIdempotencyKeyOnceAndRefusesItForOtherVariables() async throws {
        let simulator = try SimulatorProcess()
        let items = try await Self.createShirt(simulator)
        func set(_ value: Int, key: String) async throws -> [String: Any] {
            try await simulator.graphQL(Self.setQuantities, variables: [
                "key": key,
                "input": ["name": "available", "reason": "correction", "quantities": [
                    ["inventoryItemId": items["SH-S"]!, "locationId": "gid://shopify/Location/1", "quantity": value, "changeFromQuantity": NSNull()],
                ]],
            ]).json
        }
        let first = try await set(7, key: "file-b1")
        let again = try await set(7, key: "file-b1")
        #expect(NSDictionary(dictionary: first["data"] as! [String: Any]) == NSDictionary(dictionary: again["data"] as! [String: Any]))
        let state = try await simulator.admin(.get, "/admin/state") as! [String: Any]
        #expect((state["objects"] as! [String: Any])["adjustment_groups"] as? Int == 1)
        let other = try await set(9, key: "file-b1")
        let payload = (other["data"] as! [String: Any])["inventorySetQuantities"] as! [String: Any]
        #expect(((payload["userErrors"] as! [[String: Any]])[0]["code"] as? String) == "IDEMPOTENCY_KEY_PARAMETER_MISMATCH")
        #expect(try await simulator.inventory()["SH-S@Hauptlager"] == 7)
    }

    @Test func refusesAStaleChangeFromQuantityAndAppliesNothingOfThatCall() async throws {
        let simulator = try SimulatorProcess()
        let items = try await Self.createShirt(simulator)
        let answer = try await simulator.graphQL(Self.setQuantities, variables: [
            "key": "k-stale",
            "input": ["name": "available", "reason": "correction", "quantities": [
                ["inventoryItemId": items["SH-S"]!, "locationId": "gid://shopify/Location/1", "quantity": 3, "changeFromQuantity": NSNull()],
                ["inventoryItemId": items["SH-M"]!, "locationId": "gid://shopify/Location/1", "quantity": 4, "changeFromQuantity": 12],
            ]],
        ])
        let payload = (answer.json["data"] as! [String: Any])["inventorySetQuantities"] as! [String: Any]
        let error = (payload["userErrors"] as! [[String: Any]])[0]
        #expect(error["code"] as? String == "CHANGE_FROM_QUANTITY_STALE")
        #expect(error["field"] as? [String] == ["input", "quantities", "1", "changeFromQuantity"])
        #expect(try await simulator.inventory()["SH-S@Hauptlager"] == 0)
    }

    @Test func productSetReplacesTheVariantListAndReportsBadInputAsUserErrors() async throws {
        let simulator = try SimulatorProcess()
        let before = try await Self.createShirt(simulator)
        // Again with only M (changed price) and a new L: S is deleted, M keeps its inventory item.
        let answer = try await simulator.graphQL(Self.productSet, variables: [
            "identifier": ["handle": "shirt"],
            "input": [
                "productOptions": [["name": "Size", "values": [["name": "M"], ["name": "L"]]]],
                "variants": [
                    ["sku": "SH-M", "price": "12.50", "optionValues": [["optionName": "Size", "name": "M"]]],
                    ["sku": "SH-L", "price": "12.50", "optionValues": [["optionName": "Size", "name": "L"]]],
                ],
            ],
        ])
        let product = ((answer.json["data"] as! [String: Any])["productSet"] as! [String: Any])["product"] as! [String: Any]
        let nodes = (product["variants"] as! [String: Any])["nodes"] as! [[String: Any]]
        #expect(nodes.map { $0["sku"] as? String } == ["SH-M", "SH-L"])
        #expect((nodes[0]["inventoryItem"] as! [String: Any])["id"] as? String == before["SH-M"])
        let stock = try await simulator.inventory()
        #expect(stock["SH-S@Hauptlager"] == nil)

        let bad = try await simulator.graphQL(Self.productSet, variables: [
            "identifier": ["handle": "shirt"],
            "input": [
                "productOptions": [["name": "Size", "values": [["name": "M"]]]],
                "variants": [["sku": "SH-M", "price": "-1.00", "optionValues": [["optionName": "Size", "name": "XL"]]]],
            ],
        ])
        let payload = (bad.json["data"] as! [String: Any])["productSet"] as! [String: Any]
        let codes = (payload["userErrors"] as! [[String: Any]]).map { $0["code"] as? String }
        #expect(payload["product"] is NSNull)
        #expect(codes.contains("INVALID_VARIANT"))
        #expect((payload["userErrors"] as! [[String: Any]]).contains { $0["field"] as? [String] == ["input", "variants", "0", "price"] })
    }

    @Test func limitsPageSizesAndPagesWithCursors() async throws {
        let simulator = try SimulatorProcess()
        let tooBig = try await simulator.graphQL("{ locations(first: 251) { nodes { id } } }")
        #expect((Self.errors(tooBig.json).first?["message"] as? String)?.hasPrefix("first cannot exceed 250.") == true)
        #expect(tooBig.json["data"] is NSNull)  // the non-null root field's null reaches data
        let first = try await simulator.graphQL("{ locations(first: 1) { nodes { name } pageInfo { hasNextPage endCursor } } }")
        let connection = (first.json["data"] as! [String: Any])["locations"] as! [String: Any]
        let info = connection["pageInfo"] as! [String: Any]
        #expect(info["hasNextPage"] as? Bool == true)
        let next = try await simulator.graphQL(
            "query($after: String) { locations(first: 1, after: $after) { nodes { name } pageInfo { hasNextPage } } }",
            variables: ["after": info["endCursor"]!])
        let second = (next.json["data"] as! [String: Any])["locations"] as! [String: Any]
        #expect(((second["nodes"] as! [[String: Any]])[0]["name"] as? String) == "Außenlager")
        #expect((second["pageInfo"] as! [String: Any])["hasNextPage"] as? Bool == false)
    }

    @Test func throttlesByRequestedCostAndRefusesQueriesOverTheMaximum() async throws {
        // A tenth of a point a second: however slow a loaded machine makes the calls, the bucket
        // barely refills during the test.
        let simulator = try SimulatorProcess(arguments: ["--bucket", "60", "--restore-rate", "0.1"])
        let cheap = "{ locations(first: 10) { nodes { id } } }"  // requested 2 + 10 = 12
        var throttled = 0
        for _ in 0..<25 {
            let answer = try await simulator.graphQL(cheap)
            if Self.errors(answer.json).first.map(Self.code) == "THROTTLED" {
                throttled += 1
                let cost = (answer.json["extensions"] as! [String: Any])["cost"] as! [String: Any]
                #expect(cost["actualQueryCost"] is NSNull)
                #expect(answer.json["data"] == nil)
            }
        }
        // Admission needs the requested 12 points; each call then costs its actual 4 (two
        // locations): 60 points admit 13 calls, and 0.1 point per second restores too little.
        #expect(throttled >= 10)
        let huge = try await simulator.graphQL("{ productVariants(first: 250) { nodes { product { variants(first: 250) { nodes { id } } } } } }")
        #expect(Self.errors(huge.json).first.map(Self.code) == "MAX_COST_EXCEEDED")
        #expect(huge.json["data"] == nil)
    }

    @Test func resetsToAnEmptyShopWithItsLocations() async throws {
        let simulator = try SimulatorProcess()
        _ = try await Self.createShirt(simulator)
        try await simulator.inject(#"[{"kind": "throttled"}]"#)
        try await simulator.admin(.post, "/admin/reset")
        let state = try await simulator.admin(.get, "/admin/state") as! [String: Any]
        let objects = state["objects"] as! [String: Any]
        #expect(objects["products"] as? Int == 0 && objects["variants"] as? Int == 0 && objects["locations"] as? Int == 2)
        #expect((state["calls"] as! [String: Any])["total"] as? Int == 0)
        // The queued fault went with the reset: the next call is answered.
        let answer = try await simulator.graphQL("{ locations(first: 5) { nodes { name } } }")
        #expect(answer.json["errors"] == nil)
    }

    @Test func takesTheRateLimitOfTheSimulatedPlan() async throws {
        let simulator = try SimulatorProcess(arguments: ["--plan", "plus"])
        let bucket = (try await simulator.admin(.get, "/admin/state") as! [String: Any])["bucket"] as! [String: Any]
        #expect(bucket["maximum"] as? Double == 20000)
        #expect(bucket["restore_rate"] as? Double == 1000)
    }

    @Test func answersWithShopifysCostExtension() async throws {
        let simulator = try SimulatorProcess()
        let answer = try await simulator.graphQL("{ locations(first: 100) { nodes { id name } } }")
        let cost = (answer.json["extensions"] as! [String: Any])["cost"] as! [String: Any]
        #expect(cost["requestedQueryCost"] as? Int == 102)
        #expect(cost["actualQueryCost"] as? Int == 4)  // two locations came back
        let status = cost["throttleStatus"] as! [String: Any]
        #expect(status["maximumAvailable"] as? Double == 2000)
        #expect(status["restoreRate"] as? Double == 100)
    }

    /// With `--schema`, calls are validated against Shopify's full schema: a field outside the
    /// bundled subset is valid (though the simulator has nothing to answer for it), and the
    /// connector's own operations still work.
    @Test(.enabled(if: SharedFolder.testsEnabled, "../shared is absent; set HAFEN_SHARED or run in CI"))
    func validatesAgainstAFullSchemaWhenGivenOne() async throws {
        let simulator = try SimulatorProcess(arguments: ["--schema", SharedFolder.file("shopify/admin-2026-07.graphql")])
        let outside = try await simulator.graphQL("{ shop { name } }")
        let message = Self.errors(outside.json).first?["message"] as? String ?? ""
        #expect(!message.contains("Cannot query field"), "\(message)")
        #expect(outside.json["extensions"] != nil)  // executed, so it has a cost
        let items = try await Self.createShirt(simulator)
        #expect(items.count == 2)
        let wrong = try await simulator.graphQL("{ shop { nameX } }")
        #expect((Self.errors(wrong.json).first?["message"] as? String)?.contains("Cannot query field \"nameX\"") == true)
    }
}
