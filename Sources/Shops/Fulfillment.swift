/// An order as a shipment sees it: its open fulfillment order lines and the tracking numbers
/// already sent.
public struct ShipmentTarget: Sendable, Equatable {
    /// A line of an open fulfillment order.
    public struct OpenLine: Sendable, Equatable {
        public var fulfillmentOrderID: String
        /// The fulfillment order line's id.
        public var id: String
        public var sku: String?
        public var remaining: Int

        public init(fulfillmentOrderID: String, id: String, sku: String?, remaining: Int) {
            self.fulfillmentOrderID = fulfillmentOrderID
            self.id = id
            self.sku = sku
            self.remaining = remaining
        }
    }

    public var orderID: String
    public var orderName: String
    /// Lines still to ship, on fulfillment orders that can be fulfilled (open or in progress).
    public var lines: [OpenLine]
    public var trackingNumbers: Set<String>

    public init(orderID: String, orderName: String, lines: [OpenLine], trackingNumbers: Set<String>) {
        self.orderID = orderID
        self.orderName = orderName
        self.lines = lines
        self.trackingNumbers = trackingNumbers
    }
}

/// One `fulfillmentCreate`: lines of one fulfillment order, with tracking.
public struct FulfillmentRequest: Sendable, Equatable {
    public var fulfillmentOrderID: String
    /// Fulfillment order line id and quantity.
    public var lines: [(id: String, quantity: Int)]
    public var company: String?
    public var trackingNumber: String?
    public var trackingURL: String?
    public var notifyCustomer: Bool

    public init(
        fulfillmentOrderID: String, lines: [(id: String, quantity: Int)], company: String?, trackingNumber: String?, trackingURL: String?,
        notifyCustomer: Bool
    ) {
        self.fulfillmentOrderID = fulfillmentOrderID
        self.lines = lines
        self.company = company
        self.trackingNumber = trackingNumber
        self.trackingURL = trackingURL
        self.notifyCustomer = notifyCustomer
    }

    public static func == (a: FulfillmentRequest, b: FulfillmentRequest) -> Bool {
        a.fulfillmentOrderID == b.fulfillmentOrderID && a.lines.map(\.id) == b.lines.map(\.id) && a.lines.map(\.quantity) == b.lines.map(\.quantity)
            && a.company == b.company && a.trackingNumber == b.trackingNumber && a.trackingURL == b.trackingURL && a.notifyCustomer == b.notifyCustomer
    }
}

/// What the shop made of a fulfillment request.
public enum FulfillmentOutcome: Sendable, Equatable {
    case created(id: String)
    /// The shop's reasons (`field: message`).
    case refused([String])
}
