import Foundation
import GraphQL
import OrderedCollections

/// Customers: created and changed over the admin routes (standing in for shoppers signing up and
/// the merchant editing them), or with their first order; read over GraphQL like Shopify's
/// `customers` and `customer`.
extension ShopState {
    static let customerFields: Set<String> = ["email", "firstName", "lastName", "phone", "address", "tags", "note", "taxExempt", "locale"]

    /// `{"email", "firstName", "lastName", "phone", "address": {…}, "tags", "note", "taxExempt",
    /// "locale"}`; an existing e-mail address is the same customer (`created` false).
    func createCustomer(_ json: Map) throws(SeedError) -> (customer: CustomerRecord, created: Bool) {
        let email = json["email"].string
        if let email, let existing = customers.values.first(where: { $0.email?.lowercased() == email.lowercased() }) { return (existing, false) }
        let now = Timestamp.moment()
        var customer = CustomerRecord(
            id: nextID(), email: email, firstName: json["firstName"].string, lastName: json["lastName"].string,
            phone: json["phone"].string, createdAt: now, updatedAt: now)
        try apply(json, to: &customer)
        customers[customer.id] = customer
        return (customer, true)
    }

    /// Changes the fields given; the customer's `updatedAt` moves on.
    func updateCustomer(id: Int, _ json: Map) throws(SeedError) -> CustomerRecord {
        guard var customer = customers[id] else { throw SeedError(description: "no customer \(id)") }
        if let text = json["email"].string { customer.email = text }
        if let text = json["firstName"].string { customer.firstName = text }
        if let text = json["lastName"].string { customer.lastName = text }
        if let text = json["phone"].string { customer.phone = text }
        try apply(json, to: &customer)
        customer.updatedAt = Timestamp.millisecond(max(Timestamp.moment(), customer.updatedAt.addingTimeInterval(0.0015)))
        customers[id] = customer
        return customer
    }

    private func apply(_ json: Map, to customer: inout CustomerRecord) throws(SeedError) {
        for (key, _) in json.dictionary ?? OrderedDictionary() where !Self.customerFields.contains(key) {
            throw SeedError(description: "\(key) is not a customer field")
        }
        if let address = try Self.address(json["address"], name: "address") { customer.address = address }
        if let tags = json["tags"].array { customer.tags = tags.compactMap(\.string) }
        if let note = json["note"].string { customer.note = note }
        if let exempt = json["taxExempt"].bool { customer.taxExempt = exempt }
        if let locale = json["locale"].string { customer.locale = locale }
    }

    /// An order was placed: the customer's order count and spending change (so does their
    /// `updatedAt`, as in Shopify), and a customer without an address gets the order's.
    func customerOrdered(_ id: Int, _ order: OrderRecord) {
        guard var customer = customers[id] else { return }
        customer.orderCount += 1
        customer.amountSpent += order.total
        if customer.address == nil { customer.address = order.billingAddress ?? order.shippingAddress }
        customer.updatedAt = Timestamp.millisecond(max(Timestamp.moment(), customer.updatedAt.addingTimeInterval(0.0015)))
        customers[id] = customer
    }

    func customerNode(_ customer: CustomerRecord) -> [String: any Sendable] {
        let name = [customer.firstName, customer.lastName].compactMap { $0 }.joined(separator: " ")
        let currency = orders.values.first?.currency ?? "EUR"
        return [
            "id": GID.make("Customer", customer.id), "email": customer.email, "firstName": customer.firstName, "lastName": customer.lastName,
            "phone": customer.phone, "displayName": name.isEmpty ? (customer.email ?? "") : name,
            "createdAt": Timestamp.text(customer.createdAt), "updatedAt": Timestamp.text(customer.updatedAt),
            "defaultEmailAddress": customer.email.map { ["emailAddress": $0] as [String: any Sendable] },
            "defaultPhoneNumber": customer.phone.map { ["phoneNumber": $0] as [String: any Sendable] },
            "defaultAddress": customer.address, "tags": customer.tags, "note": customer.note, "taxExempt": customer.taxExempt,
            "locale": customer.locale, "state": "ENABLED", "numberOfOrders": String(customer.orderCount),
            "amountSpent": ["amount": Self.format(customer.amountSpent), "currencyCode": currency] as [String: any Sendable],
        ]
    }

    /// The REST-shaped body of a customer webhook.
    func webhookPayload(_ customer: CustomerRecord) -> [UInt8] {
        let payload: [String: Any] = [
            "id": customer.id, "admin_graphql_api_id": GID.make("Customer", customer.id), "email": customer.email as Any,
            "first_name": customer.firstName as Any, "last_name": customer.lastName as Any, "created_at": Timestamp.text(customer.createdAt),
            "updated_at": Timestamp.text(customer.updatedAt), "orders_count": customer.orderCount, "tags": customer.tags.joined(separator: ", "),
        ]
        return Array((try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data())
    }
}
