public import Foundation

/// A refund of (part of) an order: the lines paid back, with or without restocking, shipping,
/// and the money returned. ERPs book it as a credit document referencing the order.
public struct Refund: Sendable, Hashable, Codable {
    public var id: String
    public var createdAt: Date
    public var note: String?
    public var lines: [RefundLine]
    /// Shipping paid back (net of its tax when the order's taxes are added).
    public var shipping: Decimal
    public var shippingTax: Decimal
    /// What was paid back in all.
    public var total: Decimal
    public var transactions: [Transaction]

    public init(
        id: String, createdAt: Date, note: String?, lines: [RefundLine], shipping: Decimal, shippingTax: Decimal, total: Decimal,
        transactions: [Transaction]
    ) {
        self.id = id
        self.createdAt = createdAt
        self.note = note
        self.lines = lines
        self.shipping = shipping
        self.shippingTax = shippingTax
        self.total = total
        self.transactions = transactions
    }
}

/// One refunded order line.
public struct RefundLine: Sendable, Hashable, Codable {
    /// The order line's id.
    public var lineID: String
    public var sku: String?
    public var title: String
    public var quantity: Int
    /// Whether the items go back to stock.
    public var restock: Bool
    /// The price of one as paid (after its share of the line's discount).
    public var unitPrice: Decimal
    public var subtotal: Decimal
    public var tax: Decimal

    public init(lineID: String, sku: String?, title: String, quantity: Int, restock: Bool, unitPrice: Decimal, subtotal: Decimal, tax: Decimal) {
        self.lineID = lineID
        self.sku = sku
        self.title = title
        self.quantity = quantity
        self.restock = restock
        self.unitPrice = unitPrice
        self.subtotal = subtotal
        self.tax = tax
    }
}
