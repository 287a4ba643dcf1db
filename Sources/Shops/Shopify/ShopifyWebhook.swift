import Foundation

/// A webhook as Shopify delivers it, read into what Hafen needs: which delivery it is (its id,
/// to store it once), its topic, and the shop object it names (an order, a refund's order, a
/// customer) as a global id. Shopify's header names and payload shapes stay here.
public struct ShopifyWebhook: Sendable, Equatable {
    /// The base64 HMAC-SHA256 of the raw body (see `WebhookVerifier`).
    public static let signatureHeader = "X-Shopify-Hmac-Sha256"
    public static let idHeader = "X-Shopify-Webhook-Id"
    public static let topicHeader = "X-Shopify-Topic"

    /// Topics that name something to export: an order, a refund's order, a customer.
    public static let exportTopics: Set<String> = [
        "orders/create", "orders/paid", "orders/updated", "orders/cancelled", "orders/edited", "orders/fulfilled", "refunds/create",
        "customers/create", "customers/update",
    ]

    /// Why a delivery cannot be read; the text is the answer's body.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public var id: String
    public var topic: String
    /// The shop's global id of the object to export (`gid://shopify/Order/1001`).
    public var objectID: String

    public init(id: String, topic: String, objectID: String) {
        self.id = id
        self.topic = topic
        self.objectID = objectID
    }

    /// Reads a delivery; nil when its topic names nothing to export.
    /// - Parameter header: the request's header by name.
    public static func read(body: [UInt8], header: (String) -> String?) throws(Problem) -> ShopifyWebhook? {
        guard let id = header(idHeader), !id.isEmpty, let topic = header(topicHeader) else {
            throw Problem(description: "\(idHeader) and \(topicHeader) are required")
        }
        guard exportTopics.contains(topic) else { return nil }
        guard let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw Problem(description: "the body is not a JSON object")
        }
        // A refund's body is the refund; the order it belongs to is `order_id`.
        if topic.hasPrefix("refunds/") {
            guard let number = json["order_id"] as? Int else { throw Problem(description: "the refund names no order_id") }
            return ShopifyWebhook(id: id, topic: topic, objectID: ShopifyID.order(number))
        }
        let type = topic.hasPrefix("customers/") ? "Customer" : "Order"
        if let gid = json["admin_graphql_api_id"] as? String, gid.hasPrefix(ShopifyID.prefix(type)) {
            return ShopifyWebhook(id: id, topic: topic, objectID: gid)
        } else if let number = json["id"] as? Int {
            return ShopifyWebhook(id: id, topic: topic, objectID: ShopifyID.prefix(type) + String(number))
        }
        throw Problem(description: "the body names no \(type.lowercased()) id")
    }
}

/// Shopify's global ids (`gid://shopify/Order/1001`).
public enum ShopifyID {
    /// `gid://shopify/TYPE/`.
    public static func prefix(_ type: String) -> String { "gid://shopify/\(type)/" }

    public static func order(_ number: Int) -> String { prefix("Order") + String(number) }

    /// Whether a reference someone typed is a shop id rather than a name or number.
    public static func isGlobalID(_ reference: String) -> Bool { reference.hasPrefix("gid://") }

    /// How a message shows the form of an order's or customer's id.
    public static let orderExample = "gid://shopify/Order/…"
    public static let customerExample = "gid://shopify/Customer/…"
}
