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
