public import Commerce
public import Foundation

/// A shop Hafen pushes to, in terms of the canonical model. Implementations keep their own rate
/// budget and count what they did (`statistics`).
public protocol Shop: Sendable {
    /// The shop's name in `hafen.yaml`.
    var name: String { get }

    /// Location name → id.
    func locations() async throws(ShopError) -> [String: String]

    /// SKU → the variant's ids, for SKUs the shop has (found in bulk, never one query per SKU).
    func variants(skus: [String]) async throws(ShopError) -> [String: RemoteVariant]

    /// How many stock changes one call takes (callers that record as they go send this many).
    var stockBatchSize: Int { get }

    /// Sets absolute stock quantities, in calls of `stockBatchSize`, numbered from `firstBatch`.
    /// `reference` names the file; with the batch number it seeds the idempotency keys, so a
    /// retried batch is applied once. One outcome per change, in order.
    func setStock(_ changes: [StockChange], reference: String, firstBatch: Int) async -> Outcomes

    /// Creates or updates products (by handle) with their variants; one outcome per product.
    func setProducts(_ products: [Product], reference: String) async -> Outcomes

    /// Orders changed from `from` up to `to` (inclusive; nil: now), oldest change first, one
    /// page at a time: `after` is the previous page's `next`.
    func ordersUpdated(from: Date, to: Date?, after: String?) async throws(ShopError) -> OrderPage

    /// How many orders changed in the window (one cheap call; decides between pages and bulk).
    func countOrdersUpdated(from: Date, to: Date?) async throws(ShopError) -> Int

    /// Every order changed in the window, read in one bulk operation (for large windows: outside
    /// the rate limit, a few calls in all), oldest change first.
    func ordersUpdatedInBulk(from: Date, to: Date?) async throws(ShopError) -> [Order]

    /// One order by the shop's id; nil when the shop has no such order.
    func order(id: String) async throws(ShopError) -> Order?

    /// A page of customers changed in the window, oldest change first (`after`: the previous
    /// page's `next`).
    func customersUpdated(from: Date, to: Date?, after: String?) async throws(ShopError) -> CustomerPage

    /// One customer by the shop's id; nil when the shop has no such customer.
    func customer(id: String) async throws(ShopError) -> Customer?

    /// An order by its name (`#1001`) with what is left to ship; nil when the shop has none.
    func shipmentTarget(orderName: String) async throws(ShopError) -> ShipmentTarget?

    /// Ships lines of one fulfillment order with tracking.
    func fulfill(_ request: FulfillmentRequest) async throws(ShopError) -> FulfillmentOutcome

    /// The refunds of an order, oldest first.
    func refunds(orderID: String) async throws(ShopError) -> [Refund]

    /// Calls, cost and waiting so far.
    func statistics() async -> ShopStatistics
}

extension Shop {
    /// Sets stock, numbering batches from 1.
    public func setStock(_ changes: [StockChange], reference: String) async -> Outcomes {
        await setStock(changes, reference: reference, firstBatch: 1)
    }
}

/// A page of orders and where the next starts (nil: this was the last).
public struct CustomerPage: Sendable {
    public var customers: [Customer]
    public var next: String?

    public init(customers: [Customer], next: String?) {
        self.customers = customers
        self.next = next
    }
}

/// One page of orders changed in a window, and where the next begins.
public struct OrderPage: Sendable {
    public var orders: [Order]
    public var next: String?

    public init(orders: [Order], next: String?) {
        self.orders = orders
        self.next = next
    }
}

/// The ids Shopify gave one variant.
public struct RemoteVariant: Sendable, Equatable {
    public var variantID: String
    public var productID: String
    public var inventoryItemID: String

    public init(variantID: String, productID: String, inventoryItemID: String) {
        self.variantID = variantID
        self.productID = productID
        self.inventoryItemID = inventoryItemID
    }
}

/// One stock level to set, with the ids it resolves to.
public struct StockChange: Sendable, Equatable {
    public var sku: String
    public var inventoryItemID: String
    public var locationID: String
    public var quantity: Int

    public init(sku: String, inventoryItemID: String, locationID: String, quantity: Int) {
        self.sku = sku
        self.inventoryItemID = inventoryItemID
        self.locationID = locationID
        self.quantity = quantity
    }
}

/// What the shop did with each object of a call, in order: nil for objects not sent because
/// the shop failed as a whole on the way (`failure`), so what did go through is not lost.
public struct Outcomes: Sendable, Equatable {
    public var items: [ObjectOutcome?]
    public var failure: ShopError?

    public init(items: [ObjectOutcome?], failure: ShopError? = nil) {
        self.items = items
        self.failure = failure
    }
}

/// What the shop did with one object.
public enum ObjectOutcome: Sendable, Equatable {
    /// Applied; the ids the shop has for it (`product`, `variant:SKU`, `item:SKU`).
    case applied(ids: [String: String])
    /// Refused with the shop's message (one bad object does not sink the others).
    case refused(ShopObjectError)
}

/// The shop's reason for refusing an object: Shopify's code, the input field and message.
public struct ShopObjectError: Sendable, Equatable, Codable {
    public var code: String?
    public var field: String?
    public var message: String

    public init(code: String?, field: String?, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }
}

/// What talking to a shop cost.
public struct ShopStatistics: Sendable, Equatable, Codable {
    /// HTTP requests sent (retries included).
    public var apiCalls = 0
    /// Actual query cost reported by the shop.
    public var costPoints = 0
    /// Time spent waiting for the rate limit (paced in advance or after a throttle).
    public var throttledMilliseconds = 0
    /// Answers that said THROTTLED or 429.
    public var throttledAnswers = 0
    /// Requests sent again after a communication error, 429 or 5xx.
    public var retries = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case apiCalls = "api_calls", costPoints = "cost_points", throttledMilliseconds = "throttled_ms", throttledAnswers = "throttled_answers", retries
    }
}

extension ShopStatistics {
    /// What was added since an earlier reading (for one file's share of a long-lived client).
    public func since(_ earlier: ShopStatistics) -> ShopStatistics {
        var delta = ShopStatistics()
        delta.apiCalls = apiCalls - earlier.apiCalls
        delta.costPoints = costPoints - earlier.costPoints
        delta.throttledMilliseconds = throttledMilliseconds - earlier.throttledMilliseconds
        delta.throttledAnswers = throttledAnswers - earlier.throttledAnswers
        delta.retries = retries - earlier.retries
        return delta
    }
}
