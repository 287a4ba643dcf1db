/// A shipment the ERP reports: an order (some of its lines, or all that is left), how it went
/// and how to track it. Becomes a fulfillment in the shop.
public struct Shipment: Sendable, Hashable {
    /// One shipped article.
    public struct Line: Sendable, Hashable {
        public var sku: String
        public var quantity: Int
        /// The data row and file line it came from.
        public var row: Int
        public var line: Int

        public init(sku: String, quantity: Int, row: Int, line: Int) {
            self.sku = sku
            self.quantity = quantity
            self.row = row
            self.line = line
        }
    }

    /// The order's name, `#1001`.
    public var order: String
    public var trackingNumber: String?
    public var carrier: String?
    public var trackingURL: String?
    public var notifyCustomer: Bool
    /// What was shipped; empty: everything the order still has to ship.
    public var lines: [Line]

    public init(order: String, trackingNumber: String?, carrier: String?, trackingURL: String?, notifyCustomer: Bool, lines: [Line]) {
        self.order = order
        self.trackingNumber = trackingNumber
        self.carrier = carrier
        self.trackingURL = trackingURL
        self.notifyCustomer = notifyCustomer
        self.lines = lines
    }

    /// Says which shipment this is across files: the order and the tracking number, or, without
    /// one, the order and what was shipped.
    public var key: String {
        if let trackingNumber, !trackingNumber.isEmpty { return "\(order)|\(trackingNumber)" }
        return "\(order)|" + lines.map { "\($0.sku)×\($0.quantity)" }.sorted().joined(separator: ",")
    }
}
