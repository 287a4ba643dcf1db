import Foundation
import GraphQL
import OrderedCollections

/// Customers and orders: created and changed over the admin routes (standing in for shoppers
/// and the merchant), read over GraphQL like Shopify's `orders`, `order`, `customers`,
/// `customer`.
extension ShopState {
    /// Why a seeded order or customer was refused (the admin route answers 400 with it).
    struct SeedError: Error, CustomStringConvertible {
        var description: String
    }

    static let currencies: Set<String> = ["EUR", "CHF", "GBP", "USD"]
    static let countries: Set<String> = ["AT", "BE", "CH", "DE", "FR", "GB", "IT", "NL", "US"]
    static let financialStatuses: Set<String> = ["PENDING", "AUTHORIZED", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "VOIDED", "PAID", "REFUNDED", "EXPIRED"]
    static let fulfillmentStatuses: Set<String> = [
        "UNFULFILLED", "PARTIALLY_FULFILLED", "FULFILLED", "RESTOCKED", "PENDING_FULFILLMENT", "OPEN", "IN_PROGRESS", "ON_HOLD", "SCHEDULED",
    ]
    static let addressFields: Set<String> = ["address1", "address2", "city", "company", "countryCodeV2", "firstName", "lastName", "name", "phone", "zip"]

    /// `{"email", "customer": {…}, "currencyCode": "EUR", "financialStatus": "PAID",
    /// "fulfillmentStatus": "UNFULFILLED", "test", "note", "tags", "sourceName": "web",
    /// "taxesIncluded": true, "paymentGateway": "paypal", "lineItems": [{"sku", "title",
    /// "variantTitle", "quantity", "price": "9.90", "discount": "1.00", "taxRate": "0.19"}],
    /// "shippingLines": [{"title", "code", "price", "taxRate"}], "shippingAddress": {…},
    /// "billingAddress": {…}}`. A paid or authorised order gets its transaction.
    func createOrder(_ json: Map) throws(SeedError) -> OrderRecord {
        let currency = json["currencyCode"].string ?? "EUR"
        guard Self.currencies.contains(currency) else { throw SeedError(description: "currencyCode \(currency) is not one of \(Self.currencies.sorted())") }
        let financial = json["financialStatus"].string ?? "PAID"
        guard Self.financialStatuses.contains(financial) else { throw SeedError(description: "financialStatus \(financial) is unknown") }
        let fulfillment = json["fulfillmentStatus"].string ?? "UNFULFILLED"
        guard Self.fulfillmentStatuses.contains(fulfillment) else { throw SeedError(description: "fulfillmentStatus \(fulfillment) is unknown") }
        guard let lines = json["lineItems"].array, !lines.isEmpty else { throw SeedError(description: "an order needs lineItems") }
        var items: [LineItemRecord] = []
        for (index, line) in lines.enumerated() {
            guard let quantity = line["quantity"].int, quantity > 0 else { throw SeedError(description: "lineItems[\(index)].quantity must be a positive number") }
            let price = try Self.amount(line["price"], name: "lineItems[\(index)].price", required: true)
            let discount = try Self.amount(line["discount"], name: "lineItems[\(index)].discount")
            guard discount <= price * Decimal(quantity) else { throw SeedError(description: "lineItems[\(index)].discount is more than the line") }
            let sku = line["sku"].string
            let title = line["title"].string ?? sku.flatMap { sku in variants.values.first { $0.sku == sku }.flatMap { products[$0.productID]?.title } } ?? "Item"
            items.append(LineItemRecord(
                id: nextID(), sku: sku, title: title, variantTitle: line["variantTitle"].string, quantity: quantity, unitPrice: price,
                discount: discount, taxRate: try Self.amount(line["taxRate"], name: "lineItems[\(index)].taxRate")))
        }
        var shippingLines: [ShippingRecord] = []
        for (index, line) in (json["shippingLines"].array ?? []).enumerated() {
            guard let title = line["title"].string else { throw SeedError(description: "shippingLines[\(index)].title is missing") }
            shippingLines.append(ShippingRecord(
                id: nextID(), title: title, code: line["code"].string, price: try Self.amount(line["price"], name: "shippingLines[\(index)].price", required: true),
                taxRate: try Self.amount(line["taxRate"], name: "shippingLines[\(index)].taxRate")))
        }
        let shipping = try Self.address(json["shippingAddress"], name: "shippingAddress")
        let billing = try Self.address(json["billingAddress"], name: "billingAddress")
        var customerID: Int?
        if json.has("customer") {
            let customer = json["customer"]
            customerID = try createCustomer(customer).customer.id
        }
        let now = Timestamp.moment()
        orderNumber += 1
        var order = OrderRecord(
            id: nextID(), number: orderNumber, email: json["email"].string ?? customerID.flatMap { customers[$0]?.email }, customerID: customerID,
            currency: currency, financialStatus: financial, fulfillmentStatus: fulfillment, test: json["test"].bool ?? false,
            note: json["note"].string, tags: (json["tags"].array ?? []).compactMap(\.string), lineItems: items, shippingLines: shippingLines,
            shippingAddress: shipping, billingAddress: billing, createdAt: now, updatedAt: now, cancelledAt: nil)
        order.sourceName = json["sourceName"].string ?? "web"
        order.taxesIncluded = json["taxesIncluded"].bool ?? true
        let gateway = json["paymentGateway"].string ?? "manual"
        order.gateways = [gateway]
        if let kind = ["PAID": "SALE", "PARTIALLY_PAID": "SALE", "AUTHORIZED": "AUTHORIZATION"][financial] {
            order.transactions = [TransactionRecord(id: nextID(), kind: kind, status: "SUCCESS", gateway: gateway, amount: order.total, processedAt: now)]
        }
        order.fulfillmentOrderID = nextID()
        orders[order.id] = order
        if let customerID { customerOrdered(customerID, order) }
        return order
    }

    /// A decimal amount given as text (`"9.90"`); absent is zero unless required.
    private static func amount(_ value: Map, name: String, required: Bool = false) throws(SeedError) -> Decimal {
        guard let text = value.string else {
            if required || value != .undefined && value != .null { throw SeedError(description: "\(name) must be an amount such as \"9.90\"") }
            return 0
        }
        guard let amount = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), amount >= 0 else {
            throw SeedError(description: "\(name) must be an amount such as \"9.90\"")
        }
        return amount
    }

    /// Changes an order as the merchant or a payment would: `financialStatus`,
    /// `fulfillmentStatus`, `cancelled: true`, `note`, `tags`. `updatedAt` moves on.
    func updateOrder(id: Int, _ json: Map) throws(SeedError) -> OrderRecord {
        guard var order = orders[id] else { throw SeedError(description: "no order \(id)") }
        if let financial = json["financialStatus"].string {
            guard Self.financialStatuses.contains(financial) else { throw SeedError(description: "financialStatus \(financial) is unknown") }
            order.financialStatus = financial
        }
        if let fulfillment = json["fulfillmentStatus"].string {
            guard Self.fulfillmentStatuses.contains(fulfillment) else { throw SeedError(description: "fulfillmentStatus \(fulfillment) is unknown") }
            order.fulfillmentStatus = fulfillment
        }
        if json["cancelled"].bool == true, order.cancelledAt == nil { order.cancelledAt = Timestamp.moment() }
        if let note = json["note"].string { order.note = note }
        if let tags = json["tags"].array { order.tags = tags.compactMap(\.string) }
        // Strictly later than before, so an updated_at cursor always sees the change.
        order.updatedAt = Timestamp.millisecond(max(Timestamp.moment(), order.updatedAt.addingTimeInterval(0.0015)))
        orders[id] = order
        return order
    }

    static func address(_ value: Map, name: String) throws(SeedError) -> [String: String]? {
        guard let object = value.dictionary else { return nil }
        var fields: [String: String] = [:]
        for (key, item) in object where item != .null {
            guard let text = item.string else { throw SeedError(description: "\(name).\(key) must be a text") }
            fields[key] = text
        }
        if let unknown = fields.keys.first(where: { !addressFields.contains($0) }) { throw SeedError(description: "\(name).\(unknown) is not an address field") }
        if let country = fields["countryCodeV2"], !countries.contains(country) { throw SeedError(description: "\(name).countryCodeV2 \(country) is not supported") }
        return fields
    }

    // MARK: Output

    /// The REST-shaped body of an order webhook (the fields a receiver needs to fetch it).
    func webhookPayload(_ order: OrderRecord) -> [UInt8] {
        let payload: [String: Any] = [
            "id": order.id, "admin_graphql_api_id": GID.make("Order", order.id), "name": "#\(order.number)", "order_number": order.number,
            "email": order.email as Any, "currency": order.currency, "financial_status": (order.financialStatus ?? "").lowercased(),
            "fulfillment_status": order.fulfillmentStatus == "UNFULFILLED" ? NSNull() : order.fulfillmentStatus.lowercased() as Any,
            "total_price": Self.format(order.total), "test": order.test, "created_at": Timestamp.text(order.createdAt),
            "updated_at": Timestamp.text(order.updatedAt), "cancelled_at": order.cancelledAt.map(Timestamp.text) as Any,
        ]
        return Array((try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data())
    }

    func orderNode(_ order: OrderRecord) -> [String: any Sendable] {
        func money(_ amount: Decimal) -> [String: any Sendable] {
            ["shopMoney": ["amount": Self.format(amount), "currencyCode": order.currency] as [String: any Sendable]]
        }
        func taxLines(_ amount: Decimal, _ rate: Decimal) -> [[String: any Sendable]] {
            guard rate > 0 else { return [] }
            let percent = NSDecimalNumber(decimal: rate * 100).doubleValue
            return [["title": "MwSt", "rate": NSDecimalNumber(decimal: rate).doubleValue, "ratePercentage": percent, "priceSet": money(order.tax(on: amount, rate: rate))]]
        }
        let lines: [[String: any Sendable]] = order.lineItems.map { line in
            let variant = line.sku.flatMap { sku in variants.values.first { $0.sku == sku } }
            return [
                "id": GID.make("LineItem", line.id), "sku": line.sku, "title": line.title, "variantTitle": line.variantTitle, "quantity": line.quantity,
                "originalUnitPriceSet": money(line.unitPrice), "totalDiscountSet": money(line.discount), "taxLines": taxLines(line.total, line.taxRate),
                "variant": variant.map { variantNode($0) },
            ]
        }
        let shipping: [[String: any Sendable]] = order.shippingLines.map { line in
            ["id": GID.make("ShippingLine", line.id), "title": line.title, "code": line.code, "originalPriceSet": money(line.price), "taxLines": taxLines(line.price, line.taxRate)]
        }
        let transactions: [[String: any Sendable]] = order.transactions.map { transaction in
            [
                "id": GID.make("OrderTransaction", transaction.id), "kind": transaction.kind, "status": transaction.status, "gateway": transaction.gateway,
                "amountSet": money(transaction.amount), "processedAt": Timestamp.text(transaction.processedAt),
            ]
        }
        return [
            "id": GID.make("Order", order.id), "legacyResourceId": String(order.id), "name": "#\(order.number)", "email": order.email,
            "customer": order.customerID.flatMap { customers[$0] }.map(customerNode), "currencyCode": order.currency,
            "displayFinancialStatus": order.financialStatus, "displayFulfillmentStatus": order.fulfillmentStatus, "test": order.test,
            "note": order.note, "tags": order.tags, "sourceName": order.sourceName, "taxesIncluded": order.taxesIncluded,
            "paymentGatewayNames": order.gateways, "transactions": transactions,
            "subtotalPriceSet": money(order.subtotal), "totalShippingPriceSet": money(order.shipping), "totalTaxSet": money(order.tax),
            "totalDiscountsSet": money(order.discounts), "totalPriceSet": money(order.total),
            "shippingAddress": order.shippingAddress, "billingAddress": order.billingAddress,
            "createdAt": Timestamp.text(order.createdAt), "processedAt": Timestamp.text(order.createdAt),
            "updatedAt": Timestamp.text(order.updatedAt), "cancelledAt": order.cancelledAt.map(Timestamp.text),
            "refunds": order.refunds.map { refundNode($0, order: order) }, "_lineItems": lines, "_shippingLines": shipping,
            "fulfillments": order.fulfillments.map { fulfillmentNode($0, order: order) }, "_fulfillmentOrders": [fulfillmentOrderNode(order)],
        ]
    }
}
