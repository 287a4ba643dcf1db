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
}

/// One line of an order: what was bought, how many, at what unit price.
struct LineItemRecord: Sendable {
    var id: Int
    var sku: String?
    var title: String
    var quantity: Int
    var unitPrice: Decimal
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
    var shippingAddress: [String: String]?
    var billingAddress: [String: String]?
    var createdAt: Date
    var updatedAt: Date
    var cancelledAt: Date?

    var total: Decimal { lineItems.reduce(Decimal(0)) { $0 + $1.unitPrice * Decimal($1.quantity) } }
}
