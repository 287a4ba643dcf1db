import Foundation
import HTTPTypes
import HafenTesting
import Testing

/// Orders and customers as shoppers leave them (seeded over the admin routes), read back the
/// way the export side will: by GraphQL, filtered by update time, a page at a time.
@Suite struct OrdersTests {
    static let orderQuery = """
        query($q: String, $after: String) {
          orders(first: 2, after: $after, query: $q) {
            nodes {
              id name email displayFinancialStatus displayFulfillmentStatus updatedAt cancelledAt test
              customer { id email displayName }
              totalPriceSet { shopMoney { amount currencyCode } }
              shippingAddress { name address1 zip city countryCodeV2 }
              lineItems(first: 10) { nodes { sku title quantity originalUnitPriceSet { shopMoney { amount } } variant { id } } }
            }
            pageInfo { hasNextPage endCursor }
          }
        }
        """

    static func nodes(_ json: [String: Any]) -> [[String: Any]] {
        (((json["data"] as? [String: Any])?["orders"] as? [String: Any])?["nodes"] as? [[String: Any]]) ?? []
    }

    @Test func readsSeededOrdersWithTheirCustomerLinesAndTotals() async throws {
        let simulator = try SimulatorProcess()
        let created = try await simulator.admin(.post, "/admin/orders", json: """
            [{"customer": {"email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace"}, "currencyCode": "EUR",
              "shippingAddress": {"name": "Ada Lovelace", "address1": "Hafenstraße 1", "zip": "20457", "city": "Hamburg", "countryCodeV2": "DE"},
              "lineItems": [{"sku": "A-1", "title": "Becher", "quantity": 2, "price": "9.90"}, {"sku": "B-2", "quantity": 1, "price": "0.20"}]},
             {"customer": {"email": "ADA@example.com"}, "financialStatus": "PENDING", "lineItems": [{"sku": "A-1", "quantity": 1, "price": "9.90"}]},
             {"email": "bob@example.com", "test": true, "lineItems": [{"sku": "C-3", "quantity": 3, "price": "1.00"}]}]
            """) as! [[String: Any]]
        #expect(created.map { $0["name"] as? String } == ["#1001", "#1002", "#1003"])
        let first = try await simulator.graphQL(Self.orderQuery)
        let page = Self.nodes(first.json)
        #expect(page.count == 2)
        #expect(page[0]["name"] as? String == "#1001")
        #expect(((page[0]["totalPriceSet"] as! [String: Any])["shopMoney"] as! [String: Any])["amount"] as? String == "20.00")
        #expect((page[0]["customer"] as! [String: Any])["displayName"] as? String == "Ada Lovelace")
        // The same e-mail address is the same customer.
        #expect((page[1]["customer"] as! [String: Any])["id"] as? String == (page[0]["customer"] as! [String: Any])["id"] as? String)
        let lines = ((page[0]["lineItems"] as! [String: Any])["nodes"] as! [[String: Any]])
        #expect(lines.map { $0["quantity"] as? Int } == [2, 1])
        #expect(lines[0]["variant"] is NSNull)  // no product with that SKU in the shop
        let info = ((first.json["data"] as! [String: Any])["orders"] as! [String: Any])["pageInfo"] as! [String: Any]
        let next = try await simulator.graphQL(Self.orderQuery, variables: ["after": info["endCursor"]!])
        #expect(Self.nodes(next.json).map { $0["name"] as? String } == ["#1003"])
        let paid = try await simulator.graphQL(Self.orderQuery, variables: ["q": "financial_status:paid test:false"])
        #expect(Self.nodes(paid.json).map { $0["name"] as? String } == ["#1001"])
    }

    @Test func anUpdatedOrderShowsUpInAnUpdatedAtSearch() async throws {
        let simulator = try SimulatorProcess()
        let created = try await simulator.admin(.post, "/admin/orders", json: """
            [{"email": "a@example.com", "lineItems": [{"sku": "A-1", "quantity": 1, "price": "1.00"}]},
             {"email": "b@example.com", "lineItems": [{"sku": "A-1", "quantity": 1, "price": "1.00"}]}]
            """) as! [[String: Any]]
        let all = Self.nodes(try await simulator.graphQL(Self.orderQuery).json)
        let since = all.compactMap { $0["updatedAt"] as? String }.max()!
        try await Task.sleep(for: .milliseconds(20))
        let id = (created[0]["id"] as! String).split(separator: "/").last!
        try await simulator.admin(.post, "/admin/orders/\(id)", json: #"{"cancelled": true, "financialStatus": "REFUNDED"}"#)
        let changed = Self.nodes(try await simulator.graphQL(Self.orderQuery, variables: ["q": "updated_at:>\(since)"]).json)
        #expect(changed.map { $0["name"] as? String } == ["#1001"])
        #expect(changed[0]["cancelledAt"] is String)
        #expect(changed[0]["displayFinancialStatus"] as? String == "REFUNDED")
    }

    @Test func refusesAnOrderItCannotRepresentAndASearchItCannotRead() async throws {
        let simulator = try SimulatorProcess()
        let bad = try await simulator.admin(.post, "/admin/orders", json: #"{"currencyCode": "XYZ", "lineItems": [{"quantity": 1, "price": "1.00"}]}"#)
        #expect((bad as? [String: Any])?["error"] as? String == "item 0: currencyCode XYZ is not one of [\"CHF\", \"EUR\", \"GBP\", \"USD\"]")
        let search = try await simulator.graphQL(Self.orderQuery, variables: ["q": "total_price:>5"])
        #expect(((search.json["errors"] as? [[String: Any]])?.first?["message"] as? String)?.contains("total_price is not searchable") == true)
    }
}

/// Generated orders, sorting by update time, counting, and bulk queries of orders.
@Suite struct GeneratedOrdersTests {
    static let query = """
        query($first: Int!, $after: String, $q: String) {
          orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $q) {
            edges { cursor node { id name updatedAt } }
            nodes { name taxesIncluded paymentGatewayNames subtotalPriceSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } }
                    totalPriceSet { shopMoney { amount } } transactions(first: 5) { kind status gateway amountSet { shopMoney { amount } } }
                    billingAddress { address1 countryCodeV2 }
                    shippingLines(first: 2) { nodes { title originalPriceSet { shopMoney { amount } } } }
                    lineItems(first: 5) { nodes { sku quantity totalDiscountSet { shopMoney { amount } } taxLines { rate priceSet { shopMoney { amount } } } } } }
            pageInfo { hasNextPage endCursor }
          }
        }
        """

    static func connection(_ json: [String: Any]) -> [String: Any] {
        (json["data"] as? [String: Any])?["orders"] as? [String: Any] ?? [:]
    }

    @Test func generatesTheSameRealisticOrdersFromTheSameSeed() async throws {
        let a = try SimulatorProcess()
        let b = try SimulatorProcess()
        for simulator in [a, b] { try await simulator.admin(.post, "/admin/orders/generate", json: #"{"count": 5, "seed": 7}"#) }
        let first = Self.connection(try await a.graphQL(Self.query, variables: ["first": 5]).json)
        let second = Self.connection(try await b.graphQL(Self.query, variables: ["first": 5]).json)
        let nodes = first["nodes"] as! [[String: Any]]
        #expect(nodes.count == 5)
        #expect(NSDictionary(dictionary: ["n": nodes]) == NSDictionary(dictionary: ["n": second["nodes"] as! [[String: Any]]]))
        for node in nodes {
            let total = Decimal(string: ((node["totalPriceSet"] as! [String: Any])["shopMoney"] as! [String: Any])["amount"] as! String)!
            let transactions = node["transactions"] as! [[String: Any]]
            #expect(transactions.first?["kind"] as? String == "SALE")
            #expect(Decimal(string: ((transactions[0]["amountSet"] as! [String: Any])["shopMoney"] as! [String: Any])["amount"] as! String) == total)
            #expect(((node["shippingLines"] as! [String: Any])["nodes"] as! [[String: Any]]).first?["title"] as? String == "DHL Paket")
            let lines = (node["lineItems"] as! [String: Any])["nodes"] as! [[String: Any]]
            #expect((1...4).contains(lines.count))
            #expect(lines.allSatisfy { ($0["taxLines"] as! [[String: Any]]).count == 1 })
        }
    }

    @Test func pagesByUpdateTimeAndCounts() async throws {
        let simulator = try SimulatorProcess()
        try await simulator.admin(.post, "/admin/orders/generate", json: #"{"count": 3, "seed": 1}"#)
        // The first order changes last: sorted by update time it comes last.
        let id = try #require((Self.connection(try await simulator.graphQL(Self.query, variables: ["first": 1]).json)["edges"] as? [[String: Any]])?
            .first.flatMap { ($0["node"] as? [String: Any])?["id"] as? String })
        try await Task.sleep(for: .milliseconds(5))
        try await simulator.admin(.post, "/admin/orders/\(id.split(separator: "/").last!)", json: #"{"note": "later"}"#)
        var names: [String] = []
        var after: Any = NSNull()
        repeat {
            let page = Self.connection(try await simulator.graphQL(Self.query, variables: ["first": 2, "after": after]).json)
            names += (page["edges"] as! [[String: Any]]).map { ($0["node"] as! [String: Any])["name"] as! String }
            let info = page["pageInfo"] as! [String: Any]
            after = (info["hasNextPage"] as? Bool == true ? info["endCursor"] : nil) ?? NSNull()
        } while !(after is NSNull)
        #expect(names == ["#1002", "#1003", "#1001"])
        let count = try await simulator.graphQL("{ ordersCount(query: \"financial_status:paid\", limit: null) { count precision } }")
        #expect(((count.json["data"] as? [String: Any])?["ordersCount"] as? [String: Any])?["count"] as? Int == 3)
    }

    @Test func aBulkQueryWritesOrdersAndTheirLinesAsJSONLines() async throws {
        let simulator = try SimulatorProcess()
        try await simulator.admin(.post, "/admin/orders/generate", json: #"{"count": 3, "seed": 4}"#)
        let bulk = #"{ orders(query: \"financial_status:paid\") { edges { node { id name lineItems { edges { node { id sku } } } } } } }"#
        let run = try await simulator.graphQL("mutation { bulkOperationRunQuery(query: \"\(bulk)\") { bulkOperation { id status type } userErrors { message } } }")
        let operation = try #require(((run.json["data"] as? [String: Any])?["bulkOperationRunQuery"] as? [String: Any])?["bulkOperation"] as? [String: Any])
        #expect(operation["type"] as? String == "QUERY")
        var url: String?
        for _ in 0..<100 where url == nil {
            let poll = try await simulator.graphQL("query($id: ID!) { bulkOperation(id: $id) { status url } }", variables: ["id": operation["id"]!])
            let state = (poll.json["data"] as? [String: Any])?["bulkOperation"] as? [String: Any]
            url = state?["status"] as? String == "COMPLETED" ? state?["url"] as? String : nil
            if url == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        let path = try #require(url.flatMap { URL(string: $0)?.path })
        let objects = try await simulator.text(path).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let orders = objects.filter { $0["__parentId"] == nil }
        let children = objects.filter { $0["__parentId"] != nil }
        #expect(orders.map { $0["name"] as? String } == ["#1001", "#1002", "#1003"])
        #expect(orders.allSatisfy { $0["lineItems"] == nil })
        let ids = Set(orders.compactMap { $0["id"] as? String })
        #expect(!children.isEmpty && children.allSatisfy { ids.contains($0["__parentId"] as? String ?? "") && $0["sku"] is String })
    }
}
