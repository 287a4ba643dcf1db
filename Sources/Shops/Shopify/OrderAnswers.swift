import Commerce
public import Foundation

/// The `data` shapes of `Orders.graphql`, and their conversion to the canonical `Order`.
struct OrdersAnswer: Decodable, Sendable {
    var orders: ConnectionAnswer<OrderNode>
}

struct OrderAnswer: Decodable, Sendable {
    var order: OrderNode?
}

struct OrderLinesAnswer: Decodable, Sendable {
    struct Lines: Decodable, Sendable {
        var lineItems: ConnectionAnswer<OrderNode.Line>
    }

    var order: Lines?
}

struct MoneyAnswer: Decodable, Sendable {
    struct Amount: Decodable, Sendable {
        var amount: String
    }

    var shopMoney: Amount

    var decimal: Decimal { Decimal(string: shopMoney.amount, locale: Locale(identifier: "en_US_POSIX")) ?? 0 }
}

struct OrderNode: Decodable, Sendable {
    struct CustomerNode: Decodable, Sendable {
        var id: String
        var email: String?
        var firstName: String?
        var lastName: String?
        var phone: String?
        var createdAt: String
        var updatedAt: String
    }

    struct AddressNode: Decodable, Sendable {
        var firstName: String?
        var lastName: String?
        var company: String?
        var address1: String?
        var address2: String?
        var zip: String?
        var city: String?
        var countryCodeV2: String?
        var phone: String?
    }

    struct Tax: Decodable, Sendable {
        var title: String
        var rate: Double?
        var priceSet: MoneyAnswer
    }

    struct Line: Decodable, Sendable {
        var id: String
        var sku: String?
        var title: String
        var variantTitle: String?
        var quantity: Int
        var originalUnitPriceSet: MoneyAnswer
        var totalDiscountSet: MoneyAnswer
        var taxLines: [Tax]
    }

    struct Shipping: Decodable, Sendable {
        var title: String
        var code: String?
        var originalPriceSet: MoneyAnswer
        var taxLines: [Tax]
    }

    struct ShippingLines: Decodable, Sendable {
        var nodes: [Shipping]
    }

    struct TransactionNode: Decodable, Sendable {
        var kind: String
        var status: String
        var gateway: String?
        var amountSet: MoneyAnswer
    }

    var id: String
    var name: String
    var createdAt: String
    var updatedAt: String
    var cancelledAt: String?
    var currencyCode: String
    var email: String?
    var test: Bool
    var note: String?
    var tags: [String]
    var sourceName: String?
    var taxesIncluded: Bool
    var displayFinancialStatus: String?
    var displayFulfillmentStatus: String
    var paymentGatewayNames: [String]
    var customer: CustomerNode?
    var billingAddress: AddressNode?
    var shippingAddress: AddressNode?
    var subtotalPriceSet: MoneyAnswer?
    var totalShippingPriceSet: MoneyAnswer
    var totalTaxSet: MoneyAnswer?
    var totalDiscountsSet: MoneyAnswer?
    var totalPriceSet: MoneyAnswer
    var transactions: [TransactionNode]
    /// Absent in a bulk result's order line (its lines come on lines of their own).
    var shippingLines: ShippingLines?
    var lineItems: ConnectionAnswer<Line>?

    /// The canonical order; `moreLines` are the lines fetched beyond the first page.
    func order(moreLines: [Line] = []) throws(ShopError) -> Order {
        try order(lines: (lineItems?.nodes ?? []) + moreLines, shipping: shippingLines?.nodes ?? [])
    }

    /// The canonical order with these lines and shipping lines.
    func order(lines: [Line], shipping: [Shipping]) throws(ShopError) -> Order {
        func date(_ text: String, _ field: String) throws(ShopError) -> Date {
            guard let value = ShopTime.date(text) else { throw .invalidCall(shop: "", detail: "order \(name): \(field) \(text) is not a time") }
            return value
        }
        func address(_ node: AddressNode?) -> Address? {
            node.map {
                Address(
                    firstName: $0.firstName, lastName: $0.lastName, company: $0.company, address1: $0.address1, address2: $0.address2, zip: $0.zip,
                    city: $0.city, countryCode: $0.countryCodeV2, phone: $0.phone)
            }
        }
        func taxes(_ lines: [Tax]) -> [TaxLine] {
            lines.map { TaxLine(title: $0.title, rate: Decimal(string: String($0.rate ?? 0)) ?? 0, amount: $0.priceSet.decimal) }
        }
        var customer: Customer?
        if let node = self.customer {
            customer = Customer(
                id: node.id, email: node.email, firstName: node.firstName, lastName: node.lastName, phone: node.phone,
                createdAt: try date(node.createdAt, "customer.createdAt"), updatedAt: try date(node.updatedAt, "customer.updatedAt"))
        }
        let lines = lines.map { line in
            OrderLine(
                id: line.id, sku: line.sku, title: line.title, variantTitle: line.variantTitle, quantity: line.quantity,
                unitPrice: line.originalUnitPriceSet.decimal, discount: line.totalDiscountSet.decimal, taxes: taxes(line.taxLines))
        }
        return Order(
            id: id, name: name, createdAt: try date(createdAt, "createdAt"), updatedAt: try date(updatedAt, "updatedAt"),
            cancelledAt: try cancelledAt.map { (text: String) throws(ShopError) -> Date in try date(text, "cancelledAt") }, currency: currencyCode,
            email: email, customer: customer, billingAddress: address(billingAddress), shippingAddress: address(shippingAddress), lines: lines,
            shippingLines: shipping.map { ShippingLine(title: $0.title, code: $0.code, price: $0.originalPriceSet.decimal, taxes: taxes($0.taxLines)) },
            taxesIncluded: taxesIncluded, subtotal: subtotalPriceSet?.decimal ?? 0, shippingTotal: totalShippingPriceSet.decimal,
            taxTotal: totalTaxSet?.decimal ?? 0, discountTotal: totalDiscountsSet?.decimal ?? 0, total: totalPriceSet.decimal,
            financialStatus: displayFinancialStatus, fulfillmentStatus: displayFulfillmentStatus, paymentGateways: paymentGatewayNames,
            transactions: transactions.map { Transaction(kind: $0.kind, status: $0.status, gateway: $0.gateway, amount: $0.amountSet.decimal) },
            sourceName: sourceName, test: test, note: note, tags: tags)
    }
}

/// Shopify's times: ISO 8601 with or without fractional seconds, always written with
/// milliseconds in UTC. (Format styles are values: shared freely, built once.)
public enum ShopTime {
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let whole = Date.ISO8601FormatStyle()

    public static func date(_ text: String) -> Date? {
        (try? fractional.parse(text)) ?? (try? whole.parse(text))
    }

    /// A time as a search value: `2026-11-01T10:00:00.123Z`.
    public static func text(_ date: Date) -> String {
        fractional.format(date)
    }
}
