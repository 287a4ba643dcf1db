import Commerce
import Foundation
import Ledger
import Mapping
import Shops

/// A customer's fields (`kind: customers`): the debtor record an ERP creates for a new customer.
extension OrderFields {
    static let customerNames = [
        "customer.id", "customer.gid", "customer.email", "customer.first_name", "customer.last_name", "customer.name", "customer.phone",
        "customer.company", "customer.tags", "customer.note", "customer.tax_exempt", "customer.locale", "customer.state", "customer.orders",
        "customer.amount_spent", "customer.date", "customer.created_at", "customer.updated_at",
        "debtor.number", "debtor.type", "debtor.name", "export.kind", "export.date",
    ] + addressNames("address")

    init(customer: Customer, kind: ExportKind, config: ExportConfig, now: Date, dates: DateFormatter) {
        var v: [String: Value] = [:]
        func text(_ s: String?) -> Value { s.map { Value.text($0) } ?? .null }
        v["customer.gid"] = .text(customer.id)
        v["customer.id"] = .text(customer.id.split(separator: "/").last.map(String.init) ?? customer.id)
        v["customer.email"] = text(customer.email)
        v["customer.first_name"] = text(customer.firstName ?? customer.address?.firstName)
        v["customer.last_name"] = text(customer.lastName ?? customer.address?.lastName)
        v["customer.name"] = .text(customer.displayName)
        v["customer.phone"] = text(customer.phone ?? customer.address?.phone)
        v["customer.company"] = text(customer.address?.company)
        v["customer.tags"] = .text(customer.tags.joined(separator: ", "))
        v["customer.note"] = text(customer.note)
        v["customer.tax_exempt"] = .bool(customer.taxExempt)
        v["customer.locale"] = text(customer.locale)
        v["customer.state"] = text(customer.state?.lowercased())
        v["customer.orders"] = customer.orderCount.map { .number(Decimal($0)) } ?? .null
        v["customer.amount_spent"] = customer.amountSpent.map { .number($0) } ?? .null
        v["customer.date"] = .text(dates.string(from: customer.createdAt))
        v["customer.created_at"] = .text(ShopTime.text(customer.createdAt))
        v["customer.updated_at"] = .text(ShopTime.text(customer.updatedAt))
        Self.put(customer.address, as: "address", into: &v)
        Self.putDebtor(address: customer.address, person: customer.displayName, email: customer.email, config: config, into: &v)
        v["export.kind"] = .text(kind.rawValue)
        v["export.date"] = .text(dates.string(from: now))
        self.init(values: v)
    }
}
