import Commerce
import Foundation
import Shops

/// One thing an export writes: an order (`kind: orders`), one refund of an order (`kind:
/// refunds`, a credit document that references the order), or a customer (`kind: customers`,
/// a debtor record).
struct ExportSubject {
    enum Content {
        case order(Order)
        /// The refund's place among the order's refunds counts from 1.
        case refund(Refund, index: Int, of: Order)
        case customer(Customer)
    }

    var content: Content

    init(order: Order) { content = .order(order) }

    init(refund: Refund, index: Int, of order: Order) { content = .refund(refund, index: index, of: order) }

    init(customer: Customer) { content = .customer(customer) }

    /// The order written, or the one a refund belongs to.
    var order: Order? {
        switch content {
        case .order(let order), .refund(_, _, let order): order
        case .customer: nil
        }
    }

    var refund: Refund? {
        if case .refund(let refund, _, _) = content { return refund }
        return nil
    }

    var customer: Customer? {
        if case .customer(let customer) = content { return customer }
        return nil
    }

    /// The shop's id of what is written.
    var id: String {
        switch content {
        case .order(let order): order.id
        case .refund(let refund, _, _): refund.id
        case .customer(let customer): customer.id
        }
    }

    /// What people call it: `#1001`, the credit document `#1001-G1`, or a customer's e-mail
    /// address (else their name).
    var name: String {
        switch content {
        case .order(let order): order.name
        case .refund(_, let index, let order): "\(order.name)-G\(index)"
        case .customer(let customer): customer.email ?? customer.displayName
        }
    }

    /// Its version: an order's or customer's `updatedAt`; a refund never changes, its `createdAt`.
    var version: String {
        switch content {
        case .order(let order): ShopTime.text(order.updatedAt)
        case .refund(let refund, _, _): ShopTime.text(refund.createdAt)
        case .customer(let customer): ShopTime.text(customer.updatedAt)
        }
    }

    /// Why the flow's filter leaves it out, or nil. A refund's order is neither paid nor, often,
    /// uncancelled: payment and cancellation are not looked at for it.
    func rejection(by filter: OrderFilter) -> String? {
        switch content {
        case .order(let order): filter.rejection(of: order)
        case .refund(_, _, let order): filter.rejection(of: order, payment: false)
        case .customer(let customer): filter.rejection(of: customer)
        }
    }

    /// The subjects of these orders for a flow: the orders themselves, or each refund of the
    /// refunded ones (read from the shop, one call per refunded order).
    static func subjects(of orders: [Order], flow: ExportConfig, shop: any Shop) async throws -> [ExportSubject] {
        guard flow.kind == .refunds else { return orders.map(ExportSubject.init(order:)) }
        var subjects: [ExportSubject] = []
        for order in orders where (order.financialStatus ?? "").hasSuffix("REFUNDED") {
            for (index, refund) in try await shop.refunds(orderID: order.id).enumerated() {
                subjects.append(ExportSubject(refund: refund, index: index + 1, of: order))
            }
        }
        return subjects
    }
}
