public import Foundation

/// An order as the shop reports it, in the shop's currency. Amounts are decimals, never floats.
public struct Order: Sendable, Hashable, Codable {
    /// The shop's id (`gid://shopify/Order/123`).
    public var id: String
    /// The order's name as customers see it (`#1001`).
    public var name: String
    public var createdAt: Date
    public var updatedAt: Date
    public var cancelledAt: Date?
    public var currency: String
    public var email: String?
    public var customer: Customer?
    public var billingAddress: Address?
    public var shippingAddress: Address?
    public var lines: [OrderLine]
    public var shippingLines: [ShippingLine]
    /// Line prices include tax (the usual case in Europe).
    public var taxesIncluded: Bool
    public var subtotal: Decimal
    public var shippingTotal: Decimal
    public var taxTotal: Decimal
    public var discountTotal: Decimal
    public var total: Decimal
    /// `PAID`, `PENDING`, `REFUNDED`, … as the shop displays it.
    public var financialStatus: String?
    public var fulfillmentStatus: String
    /// The payment gateways used, in order (`shopify_payments`, `paypal`, `Rechnung`).
    public var paymentGateways: [String]
    public var transactions: [Transaction]
    /// Where the order came from (`web`, `pos`, an app's name).
    public var sourceName: String?
    public var test: Bool
    public var note: String?
    public var tags: [String]

    public init(
        id: String, name: String, createdAt: Date, updatedAt: Date, cancelledAt: Date? = nil, currency: String, email: String? = nil,
        customer: Customer? = nil, billingAddress: Address? = nil, shippingAddress: Address? = nil, lines: [OrderLine],
        shippingLines: [ShippingLine] = [], taxesIncluded: Bool = true, subtotal: Decimal, shippingTotal: Decimal = 0, taxTotal: Decimal = 0,
        discountTotal: Decimal = 0, total: Decimal, financialStatus: String? = "PAID", fulfillmentStatus: String = "UNFULFILLED",
        paymentGateways: [String] = [], transactions: [Transaction] = [], sourceName: String? = nil, test: Bool = false, note: String? = nil,
        tags: [String] = []
    ) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.cancelledAt = cancelledAt
        self.currency = currency
        self.email = email
        self.customer = customer
        self.billingAddress = billingAddress
        self.shippingAddress = shippingAddress
        self.lines = lines
        self.shippingLines = shippingLines
        self.taxesIncluded = taxesIncluded
        self.subtotal = subtotal
        self.shippingTotal = shippingTotal
        self.taxTotal = taxTotal
        self.discountTotal = discountTotal
        self.total = total
        self.financialStatus = financialStatus
        self.fulfillmentStatus = fulfillmentStatus
        self.paymentGateways = paymentGateways
        self.transactions = transactions
        self.sourceName = sourceName
        self.test = test
        self.note = note
        self.tags = tags
    }

    /// The number without `#` (`1001`), as ERPs store a reference.
    public var number: String { name.hasPrefix("#") ? String(name.dropFirst()) : name }
}

/// One line of an order.
public struct OrderLine: Sendable, Hashable, Codable {
    public var id: String
    public var sku: String?
    public var title: String
    public var variantTitle: String?
    public var quantity: Int
    /// The price of one before discounts (gross when the order's taxes are included).
    public var unitPrice: Decimal
    /// The whole line's discount.
    public var discount: Decimal
    public var taxes: [TaxLine]

    public init(id: String, sku: String?, title: String, variantTitle: String? = nil, quantity: Int, unitPrice: Decimal, discount: Decimal = 0, taxes: [TaxLine] = []) {
        self.id = id
        self.sku = sku
        self.title = title
        self.variantTitle = variantTitle
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.discount = discount
        self.taxes = taxes
    }

    /// Quantity × unit price minus the discount.
    public var total: Decimal { unitPrice * Decimal(quantity) - discount }
    /// The sum of the line's taxes.
    public var taxAmount: Decimal { taxes.reduce(0) { $0 + $1.amount } }
    /// The first tax's rate (0.19), or 0 for an untaxed line.
    public var taxRate: Decimal { taxes.first?.rate ?? 0 }
}

/// A tax on a line or on shipping.
public struct TaxLine: Sendable, Hashable, Codable {
    public var title: String
    /// As a fraction: 0.19 for 19 %.
    public var rate: Decimal
    public var amount: Decimal

    public init(title: String, rate: Decimal, amount: Decimal) {
        self.title = title
        self.rate = rate
        self.amount = amount
    }
}

/// A shipping method charged on an order.
public struct ShippingLine: Sendable, Hashable, Codable {
    public var title: String
    public var code: String?
    public var price: Decimal
    public var taxes: [TaxLine]

    public init(title: String, code: String?, price: Decimal, taxes: [TaxLine] = []) {
        self.title = title
        self.code = code
        self.price = price
        self.taxes = taxes
    }
}

/// A payment transaction on an order.
public struct Transaction: Sendable, Hashable, Codable {
    /// `SALE`, `CAPTURE`, `AUTHORIZATION`, `REFUND`, …
    public var kind: String
    /// `SUCCESS`, `PENDING`, `FAILURE`, …
    public var status: String
    public var gateway: String?
    public var amount: Decimal

    public init(kind: String, status: String, gateway: String?, amount: Decimal) {
        self.kind = kind
        self.status = status
        self.gateway = gateway
        self.amount = amount
    }
}
