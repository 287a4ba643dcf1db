import Foundation

/// A customer as the simulated shop keeps it.
struct CustomerRecord: Sendable {
    var id: Int
    var email: String?
    var firstName: String?
    var lastName: String?
    var phone: String?
    var createdAt: Date
    var updatedAt: Date
    /// The default address, in `MailingAddress` field names.
    var address: [String: String]?
    var tags: [String] = []
    var note: String?
    var taxExempt = false
    var locale = "de"
    var orderCount = 0
    var amountSpent: Decimal = 0
}

/// One line of an order: what was bought, how many, at what unit price, its discount and tax rate.
struct LineItemRecord: Sendable {
    var id: Int
    var sku: String?
    var title: String
    var variantTitle: String?
    var quantity: Int
    var unitPrice: Decimal
    /// The whole line's discount.
    var discount: Decimal = 0
    /// 0.19 for 19 %; 0 for none.
    var taxRate: Decimal = 0

    var total: Decimal { unitPrice * Decimal(quantity) - discount }
}

/// A shipping method charged on an order.
struct ShippingRecord: Sendable {
    var id: Int
    var title: String
    var code: String?
    var price: Decimal
    var taxRate: Decimal
}

/// A payment transaction.
struct TransactionRecord: Sendable {
    var id: Int
    var kind: String
    var status: String
    var gateway: String
    var amount: Decimal
    var processedAt: Date
}

/// One refunded line: how many of which order line, whether they go back to stock, the amounts.
struct RefundLineRecord: Sendable {
    var id: Int
    var lineItemID: Int
    var quantity: Int
    var restock: Bool
    var unitPrice: Decimal
    var subtotal: Decimal
    var tax: Decimal
}

/// A refund of (part of) an order.
struct RefundRecord: Sendable {
    var id: Int
    var createdAt: Date
    var note: String?
    var lines: [RefundLineRecord]
    var shipping: Decimal
    var shippingTax: Decimal
    var transaction: TransactionRecord
}

/// A shipment of (part of) an order: which fulfillment order lines, how many, and its tracking.
struct FulfillmentRecord: Sendable {
    var id: Int
    /// Order line id → quantity shipped.
    var quantities: [Int: Int]
    var company: String?
    var number: String?
    var url: String?
    var notifyCustomer: Bool
    var createdAt: Date
}

/// An order as checkout leaves it (created over the admin route, as shoppers would).
struct OrderRecord: Sendable {
    var id: Int
    var number: Int
    var email: String?
    var customerID: Int?
    var currency: String
    var financialStatus: String?
    var fulfillmentStatus: String
    var test: Bool
    var note: String?
    var tags: [String]
    var lineItems: [LineItemRecord]
    var shippingLines: [ShippingRecord] = []
    var shippingAddress: [String: String]?
    var billingAddress: [String: String]?
    var gateways: [String] = []
    var transactions: [TransactionRecord] = []
    var refunds: [RefundRecord] = []
    /// The order's one fulfillment order (the simulator has no split by location).
    var fulfillmentOrderID = 0
    var fulfillments: [FulfillmentRecord] = []
    var sourceName = "web"
    /// Prices include tax (the shop's setting; true for most European shops).
    var taxesIncluded = true
    var createdAt: Date
    var updatedAt: Date
    var cancelledAt: Date?

    /// How many of a line are still to ship: bought, less shipped, less refunded.
    func remaining(line: LineItemRecord) -> Int {
        let shipped = fulfillments.reduce(0) { $0 + ($1.quantities[line.id] ?? 0) }
        let refunded = refunds.flatMap(\.lines).filter { $0.lineItemID == line.id }.reduce(0) { $0 + $1.quantity }
        return max(0, line.quantity - shipped - refunded)
    }

    /// `OPEN`, `IN_PROGRESS` (partly shipped), `CLOSED` (nothing left), or `CANCELLED`.
    var fulfillmentOrderStatus: String {
        if cancelledAt != nil { return "CANCELLED" }
        if lineItems.allSatisfy({ remaining(line: $0) == 0 }) { return "CLOSED" }
        return fulfillments.isEmpty ? "OPEN" : "IN_PROGRESS"
    }

    /// Lines after their discounts.
    var subtotal: Decimal { lineItems.reduce(Decimal(0)) { $0 + $1.total } }
    var shipping: Decimal { shippingLines.reduce(Decimal(0)) { $0 + $1.price } }
    var discounts: Decimal { lineItems.reduce(Decimal(0)) { $0 + $1.discount } }
    var tax: Decimal {
        lineItems.reduce(Decimal(0)) { $0 + tax(on: $1.total, rate: $1.taxRate) } + shippingLines.reduce(Decimal(0)) { $0 + tax(on: $1.price, rate: $1.taxRate) }
    }
    var total: Decimal { subtotal + shipping + (taxesIncluded ? 0 : tax) }

    /// The tax in an amount, to the cent: included (`amount × rate / (1 + rate)`) or added.
    func tax(on amount: Decimal, rate: Decimal) -> Decimal {
        guard rate > 0 else { return 0 }
        var exact = taxesIncluded ? amount * rate / (1 + rate) : amount * rate
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, 2, .plain)
        return rounded
    }
}
