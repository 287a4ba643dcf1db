import Commerce
import Foundation
import Ledger
import Mapping
import Shops

/// The names an export's columns, value tables and file names can use, and their values for one
/// order (and one of its lines). Money is a number in the shop's currency; dates follow the
/// flow's `date_format`.
struct OrderFields {
    /// Order-level names, in the order docs/exports.md lists them.
    static let orderNames = [
        "order.id", "order.gid", "order.name", "order.number", "order.date", "order.time", "order.updated_at", "order.currency",
        "order.email", "order.note", "order.tags", "order.financial_status", "order.fulfillment_status", "order.cancelled",
        "order.cancelled_at", "order.source", "order.taxes_included", "order.subtotal", "order.shipping", "order.tax", "order.discount",
        "order.total", "order.net", "order.payment_gateway", "order.shipping_method", "order.shipping_code", "order.lines",
        "customer.id", "customer.email", "customer.first_name", "customer.last_name", "customer.phone",
        "debtor.number", "debtor.type", "debtor.name", "export.kind", "export.date",
    ] + addressNames("billing") + addressNames("shipping")

    static let lineNames = [
        "line.number", "line.kind", "line.sku", "line.title", "line.variant_title", "line.quantity", "line.unit_price", "line.discount",
        "line.total", "line.tax_rate", "line.tax_amount", "line.net_total", "line.gross_total",
    ]

    /// Refund-level names (`kind: refunds`).
    static let refundNames = [
        "refund.number", "refund.index", "refund.id", "refund.gid", "refund.date", "refund.note", "refund.total", "refund.shipping",
        "refund.shipping_tax", "refund.tax", "refund.net", "refund.restock", "refund.gateway",
    ]

    /// Line names of a refund's rows (`line.restock` is theirs alone).
    static let refundLineNames = [
        "line.number", "line.kind", "line.sku", "line.title", "line.quantity", "line.unit_price", "line.total", "line.tax_amount",
        "line.net_total", "line.gross_total", "line.restock",
    ]

    /// Fields written with two decimals unless a column says otherwise.
    static let moneyNames: Set<String> = [
        "order.subtotal", "order.shipping", "order.tax", "order.discount", "order.total", "order.net", "line.unit_price", "line.discount",
        "line.total", "line.tax_amount", "line.net_total", "line.gross_total", "refund.total", "refund.shipping", "refund.shipping_tax", "refund.tax",
        "refund.net", "customer.amount_spent",
    ]

    static func addressNames(_ prefix: String) -> [String] {
        ["first_name", "last_name", "name", "company", "street", "house_number", "address1", "address2", "zip", "city", "country", "phone"]
            .map { "\(prefix).\($0)" }
    }

    let values: [String: Value]

    /// The order-level values.
    init(order: Order, kind: ExportKind, config: ExportConfig, now: Date, dates: DateFormatter) {
        var v: [String: Value] = [:]
        func text(_ s: String?) -> Value { s.map { Value.text($0) } ?? .null }
        v["order.gid"] = .text(order.id)
        v["order.id"] = .text(order.id.split(separator: "/").last.map(String.init) ?? order.id)
        v["order.name"] = .text(order.name)
        v["order.number"] = .text(order.number)
        v["order.date"] = .text(dates.string(from: order.createdAt))
        v["order.time"] = .text(ShopTime.text(order.createdAt))
        v["order.updated_at"] = .text(ShopTime.text(order.updatedAt))
        v["order.currency"] = .text(order.currency)
        v["order.email"] = text(order.email)
        v["order.note"] = text(order.note)
        v["order.tags"] = .text(order.tags.joined(separator: ", "))
        v["order.financial_status"] = .text((order.financialStatus ?? "").lowercased())
        v["order.fulfillment_status"] = .text(order.fulfillmentStatus.lowercased())
        v["order.cancelled"] = .bool(order.cancelledAt != nil)
        v["order.cancelled_at"] = order.cancelledAt.map { .text(dates.string(from: $0)) } ?? .null
        v["order.source"] = text(order.sourceName)
        v["order.taxes_included"] = .bool(order.taxesIncluded)
        v["order.subtotal"] = .number(order.subtotal)
        v["order.shipping"] = .number(order.shippingTotal)
        v["order.tax"] = .number(order.taxTotal)
        v["order.discount"] = .number(order.discountTotal)
        v["order.total"] = .number(order.total)
        v["order.net"] = .number(order.total - order.taxTotal)
        v["order.payment_gateway"] = text(order.paymentGateways.first)
        v["order.shipping_method"] = text(order.shippingLines.first?.title)
        v["order.shipping_code"] = text(order.shippingLines.first?.code)
        v["order.lines"] = .number(Decimal(order.lines.count))
        v["customer.id"] = text(order.customer.map { $0.id.split(separator: "/").last.map(String.init) ?? $0.id })
        v["customer.email"] = text(order.customer?.email ?? order.email)
        v["customer.first_name"] = text(order.customer?.firstName ?? order.billingAddress?.firstName)
        v["customer.last_name"] = text(order.customer?.lastName ?? order.billingAddress?.lastName)
        v["customer.phone"] = text(order.customer?.phone ?? order.billingAddress?.phone)
        for (prefix, address) in [("billing", order.billingAddress ?? order.shippingAddress), ("shipping", order.shippingAddress ?? order.billingAddress)] {
            Self.put(address, as: prefix, into: &v)
        }
        let person = order.customer.map { [$0.firstName, $0.lastName].compactMap { $0 }.joined(separator: " ") }
        Self.putDebtor(address: order.billingAddress ?? order.shippingAddress, person: person, email: order.customer?.email ?? order.email, config: config, into: &v)
        v["export.kind"] = .text(kind.rawValue)
        v["export.date"] = .text(dates.string(from: now))
        values = v
    }

    /// An address's fields under `prefix.` (`billing.street`, …).
    static func put(_ address: Address?, as prefix: String, into v: inout [String: Value]) {
        func text(_ s: String?) -> Value { s.map { Value.text($0) } ?? .null }
        let parts = address?.streetParts
        v["\(prefix).first_name"] = text(address?.firstName)
        v["\(prefix).last_name"] = text(address?.lastName)
        v["\(prefix).name"] = text(address?.name)
        v["\(prefix).company"] = text(address?.company)
        v["\(prefix).street"] = text(parts?.street)
        v["\(prefix).house_number"] = text(parts?.number)
        v["\(prefix).address1"] = text(address?.address1)
        v["\(prefix).address2"] = text(address?.address2)
        v["\(prefix).zip"] = text(address?.zip)
        v["\(prefix).city"] = text(address?.city)
        v["\(prefix).country"] = text(address?.countryCode)
        v["\(prefix).phone"] = text(address?.phone)
    }

    /// `debtor.…`: a company name in the address makes a company debtor, else the person is the
    /// debtor; the number comes from the flow's `debtors:` by e-mail, else its default.
    static func putDebtor(address: Address?, person: String?, email: String?, config: ExportConfig, into v: inout [String: Value]) {
        let company = address?.company?.trimmingCharacters(in: .whitespaces) ?? ""
        v["debtor.type"] = .text(company.isEmpty ? "person" : "company")
        v["debtor.name"] = .text(company.isEmpty ? (address?.name ?? person ?? "") : company)
        let key = (email ?? "").lowercased()
        let number = config.debtors.flatMap { key.isEmpty ? nil : $0.entries[key] } ?? config.defaultDebtor
        v["debtor.number"] = number.map { .text($0) } ?? .null
    }

    /// The formatter for the flow's `date_format` (build once per run: they are costly).
    static func dateFormatter(_ config: ExportConfig) -> DateFormatter {
        let dates = DateFormatter()
        dates.locale = Locale(identifier: "en_US_POSIX")
        dates.timeZone = TimeZone.current
        dates.dateFormat = config.dateFormat
        return dates
    }

    init(values: [String: Value]) {
        self.values = values
    }

    /// The same values as a file of another kind (and, given, on another date) would show.
    func stamped(kind: ExportKind, date: Value?) -> OrderFields {
        var v = values
        v["export.kind"] = .text(kind.rawValue)
        if let date { v["export.date"] = date }
        return OrderFields(values: v)
    }

    /// The order's values with one line's.
    func with(line: OrderLine, number: Int, kind: String) -> OrderFields {
        var v = values
        v["line.number"] = .number(Decimal(number))
        v["line.kind"] = .text(kind)
        v["line.sku"] = line.sku.map { .text($0) } ?? .null
        v["line.title"] = .text(line.title)
        v["line.variant_title"] = line.variantTitle.map { .text($0) } ?? .null
        v["line.quantity"] = .number(Decimal(line.quantity))
        v["line.unit_price"] = .number(line.unitPrice)
        v["line.discount"] = .number(line.discount)
        v["line.total"] = .number(line.total)
        v["line.tax_rate"] = .number(line.taxRate * 100)
        v["line.tax_amount"] = .number(line.taxAmount)
        let included = values["order.taxes_included"] == .bool(true)
        v["line.net_total"] = .number(included ? line.total - line.taxAmount : line.total)
        v["line.gross_total"] = .number(included ? line.total : line.total + line.taxAmount)
        return OrderFields(values: v)
    }

    /// The order's values with a refund's (`refund.…`).
    func with(refund: Refund, index: Int, order: Order, dates: DateFormatter) -> OrderFields {
        var v = values
        let tax = refund.lines.reduce(refund.shippingTax) { $0 + $1.tax }
        v["refund.number"] = .text("\(order.number)-G\(index)")
        v["refund.index"] = .number(Decimal(index))
        v["refund.gid"] = .text(refund.id)
        v["refund.id"] = .text(refund.id.split(separator: "/").last.map(String.init) ?? refund.id)
        v["refund.date"] = .text(dates.string(from: refund.createdAt))
        v["refund.note"] = refund.note.map { .text($0) } ?? .null
        v["refund.total"] = .number(refund.total)
        v["refund.shipping"] = .number(refund.shipping)
        v["refund.shipping_tax"] = .number(refund.shippingTax)
        v["refund.tax"] = .number(tax)
        v["refund.net"] = .number(refund.total - tax)
        v["refund.restock"] = .bool(refund.lines.contains { $0.restock })
        v["refund.gateway"] = refund.transactions.first?.gateway.map { .text($0) } ?? .null
        return OrderFields(values: v)
    }

    /// The refund's values with one refunded line's.
    func with(refundLine line: RefundLine, number: Int, kind: String) -> OrderFields {
        var v = values
        let included = values["order.taxes_included"] == .bool(true)
        v["line.number"] = .number(Decimal(number))
        v["line.kind"] = .text(kind)
        v["line.sku"] = line.sku.map { .text($0) } ?? .null
        v["line.title"] = .text(line.title)
        v["line.quantity"] = .number(Decimal(line.quantity))
        v["line.unit_price"] = .number(line.unitPrice)
        v["line.total"] = .number(line.subtotal)
        v["line.tax_amount"] = .number(line.tax)
        v["line.net_total"] = .number(included ? line.subtotal - line.tax : line.subtotal)
        v["line.gross_total"] = .number(included ? line.subtotal : line.subtotal + line.tax)
        v["line.restock"] = .bool(line.restock)
        return OrderFields(values: v)
    }

    subscript(name: String) -> Value { values[name] ?? .null }
}
