import Shops
import Testing

@Suite struct ShopifyWebhookTests {
    static func read(_ topic: String, _ body: String, id: String = "w-1") throws -> ShopifyWebhook? {
        let headers = [ShopifyWebhook.idHeader: id, ShopifyWebhook.topicHeader: topic]
        return try ShopifyWebhook.read(body: Array(body.utf8)) { headers[$0] }
    }

    @Test func readsAnOrderByItsGlobalID() throws {
        let webhook = try Self.read("orders/paid", #"{"id": 1, "admin_graphql_api_id": "gid://shopify/Order/450789469"}"#)
        #expect(webhook == ShopifyWebhook(id: "w-1", topic: "orders/paid", objectID: "gid://shopify/Order/450789469"))
    }

    @Test func readsARefundAsItsOrder() throws {
        let webhook = try Self.read("refunds/create", #"{"id": 509562969, "order_id": 450789469}"#)
        #expect(webhook?.objectID == "gid://shopify/Order/450789469")
    }

    @Test func readsACustomerByItsNumberWhenNoGlobalIDIsGiven() throws {
        #expect(try Self.read("customers/update", #"{"id": 207119551}"#)?.objectID == "gid://shopify/Customer/207119551")
    }

    @Test func ignoresTopicsThatNameNothingToExport() throws {
        #expect(try Self.read("products/update", "not even JSON") == nil)
    }

    @Test func refusesADeliveryWithoutItsHeadersOrObject() {
        #expect(throws: ShopifyWebhook.Problem.self) { try ShopifyWebhook.read(body: []) { _ in nil } }
        #expect(throws: ShopifyWebhook.Problem.self) { try Self.read("orders/create", "[1, 2]") }
        #expect(throws: ShopifyWebhook.Problem.self) { try Self.read("refunds/create", #"{"id": 5}"#) }
    }
}
