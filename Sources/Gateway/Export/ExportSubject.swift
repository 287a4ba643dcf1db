import Commerce
import Shops

/// One thing an export writes: an order (`kind: orders`), or one refund of an order
/// (`kind: refunds`, a credit document that references the order).
struct ExportSubject {
    var order: Order
    var refund: Refund?
    /// The refund's place among the order's refunds, from 1.
    var refundIndex = 0

    init(order: Order) {
        self.order = order
    }

    init(refund: Refund, index: Int, of order: Order) {
        self.order = order
        self.refund = refund
        refundIndex = index
    }

    /// The shop's id of what is written.
    var id: String { refund?.id ?? order.id }

    /// What people call it: `#1001`, or the credit document `#1001-G1`.
    var name: String { refund == nil ? order.name : "\(order.name)-G\(refundIndex)" }

    /// Its version: an order's `updatedAt`; a refund never changes, its `createdAt`.
    var version: String { ShopTime.text(refund?.createdAt ?? order.updatedAt) }

    /// The subjects of these orders for a flow: the orders themselves, or each refund of the
    /// refunded ones (read from the shop, one call per refunded order).
    static func subjects(of orders: [Order], flow: ExportConfig, shop: any Shop) async throws(ShopError) -> [ExportSubject] {
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
