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

    /// `{"email", "firstName", "lastName", "phone"}`; an existing e-mail address is the same customer.
    func createCustomer(_ json: Map) throws(SeedError) -> CustomerRecord {
        let email = json["email"].string
        if let email, let existing = customers.values.first(where: { $0.email?.lowercased() == email.lowercased() }) { return existing }
        let now = Timestamp.moment()
        let customer = CustomerRecord(
            id: nextID(), email: email, firstName: json["firstName"].string, lastName: json["lastName"].string,
            phone: json["phone"].string, createdAt: now, updatedAt: now)
        customers[customer.id] = customer
        return customer
    }

    /// `{"email", "customer": {…}, "currencyCode": "EUR", "financialStatus": "PAID",
    /// "fulfillmentStatus": "UNFULFILLED", "test", "note", "tags", "lineItems": [{"sku", "title",
    /// "quantity", "price": "9.90"}], "shippingAddress": {…}, "billingAddress": {…}}`.
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
            guard let priceText = line["price"].string, let price = Decimal(string: priceText, locale: Locale(identifier: "en_US_POSIX")), price >= 0 else {
                throw SeedError(description: "lineItems[\(index)].price must be an amount such as \"9.90\"")
            }
            let sku = line["sku"].string
            let title = line["title"].string ?? sku.flatMap { sku in variants.values.first { $0.sku == sku }.flatMap { products[$0.productID]?.title } } ?? "Item"
            items.append(LineItemRecord(id: nextID(), sku: sku, title: title, quantity: quantity, unitPrice: price))
        }
        let shipping = try Self.address(json["shippingAddress"], name: "shippingAddress")
        let billing = try Self.address(json["billingAddress"], name: "billingAddress")
        var customerID: Int?
        if json.has("customer") {
            let customer = json["customer"]
            customerID = try createCustomer(customer).id
        }
        let now = Timestamp.moment()
        orderNumber += 1
        let order = OrderRecord(
            id: nextID(), number: orderNumber, email: json["email"].string ?? customerID.flatMap { customers[$0]?.email }, customerID: customerID,
            currency: currency, financialStatus: financial, fulfillmentStatus: fulfillment, test: json["test"].bool ?? false,
            note: json["note"].string, tags: (json["tags"].array ?? []).compactMap(\.string), lineItems: items, shippingAddress: shipping, billingAddress: billing,
            createdAt: now, updatedAt: now, cancelledAt: nil)
        orders[order.id] = order
        return order
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

    private static func address(_ value: Map, name: String) throws(SeedError) -> [String: String]? {
        guard let object = value.dictionary else { return nil }
        var fields: [String: String] = [:]
        for (key, item) in object {
            guard let text = item.string else { throw SeedError(description: "\(name).\(key) must be a text") }
            fields[key] = text
        }
        if let unknown = fields.keys.first(where: { !addressFields.contains($0) }) { throw SeedError(description: "\(name).\(unknown) is not an address field") }
        if let country = fields["countryCodeV2"], !countries.contains(country) { throw SeedError(description: "\(name).countryCodeV2 \(country) is not supported") }
        return fields
    }

    // MARK: Output

    func customerNode(_ customer: CustomerRecord) -> [String: any Sendable] {
        let name = [customer.firstName, customer.lastName].compactMap { $0 }.joined(separator: " ")
        return [
            "id": GID.make("Customer", customer.id), "email": customer.email, "firstName": customer.firstName, "lastName": customer.lastName,
            "phone": customer.phone, "displayName": name.isEmpty ? (customer.email ?? "") : name,
            "createdAt": Timestamp.text(customer.createdAt), "updatedAt": Timestamp.text(customer.updatedAt),
        ]
    }

    func orderNode(_ order: OrderRecord) -> [String: any Sendable] {
        func money(_ amount: Decimal) -> [String: any Sendable] {
            ["shopMoney": ["amount": Self.format(amount), "currencyCode": order.currency] as [String: any Sendable]]
        }
        let lines: [[String: any Sendable]] = order.lineItems.map { line in
            let variant = line.sku.flatMap { sku in variants.values.first { $0.sku == sku } }
            return [
                "id": GID.make("LineItem", line.id), "sku": line.sku, "title": line.title, "quantity": line.quantity,
                "originalUnitPriceSet": money(line.unitPrice), "variant": variant.map { variantNode($0) },
            ]
        }
        return [
            "id": GID.make("Order", order.id), "name": "#\(order.number)", "email": order.email,
            "customer": order.customerID.flatMap { customers[$0] }.map(customerNode), "currencyCode": order.currency,
            "displayFinancialStatus": order.financialStatus, "displayFulfillmentStatus": order.fulfillmentStatus, "test": order.test,
            "note": order.note, "tags": order.tags, "totalPriceSet": money(order.total),
            "shippingAddress": order.shippingAddress, "billingAddress": order.billingAddress,
            "createdAt": Timestamp.text(order.createdAt), "processedAt": Timestamp.text(order.createdAt),
            "updatedAt": Timestamp.text(order.updatedAt), "cancelledAt": order.cancelledAt.map(Timestamp.text),
            "_lineItems": lines,
        ]
    }
}
