import Foundation
import GraphQL

/// Refunds, as the merchant issues them in the admin: some of the order's lines (with or without
/// restocking) and optionally the shipping, paid back with a REFUND transaction.
extension ShopState {
    /// `{"note", "lines": [{"sku" or "lineItemId", "quantity", "restock": true}], "shipping": true}`.
    func createRefund(orderID: Int, _ json: Map) throws(SeedError) -> (OrderRecord, RefundRecord) {
        guard var order = orders[orderID] else { throw SeedError(description: "no order \(orderID)") }
        let lines = json["lines"].array ?? []
        let shipping = json["shipping"].bool ?? false
        guard !lines.isEmpty || shipping else { throw SeedError(description: "a refund needs lines or shipping") }
        var refunded: [RefundLineRecord] = []
        for (index, line) in lines.enumerated() {
            let match = order.lineItems.first { item in
                if let id = line["lineItemId"].string.flatMap({ GID.number($0, type: "LineItem") }) { return item.id == id }
                return item.sku != nil && item.sku == line["sku"].string
            }
            guard let item = match else { throw SeedError(description: "lines[\(index)]: the order has no such line") }
            guard let quantity = line["quantity"].int, quantity > 0 else { throw SeedError(description: "lines[\(index)].quantity must be a positive number") }
            let already = order.refunds.flatMap(\.lines).filter { $0.lineItemID == item.id }.reduce(0) { $0 + $1.quantity }
            guard quantity <= item.quantity - already else {
                throw SeedError(description: "lines[\(index)]: only \(item.quantity - already) of \(item.sku ?? item.title) can still be refunded")
            }
            // The price actually paid for one, its discount spread over the line.
            let unit = item.total / Decimal(item.quantity)
            let subtotal = Self.cents(unit * Decimal(quantity))
            refunded.append(RefundLineRecord(
                id: nextID(), lineItemID: item.id, quantity: quantity, restock: line["restock"].bool ?? true, unitPrice: Self.cents(unit),
                subtotal: subtotal, tax: order.tax(on: subtotal, rate: item.taxRate)))
        }
        let shippingAmount = shipping ? order.shipping : 0
        let shippingTax = shipping ? order.shippingLines.reduce(Decimal(0)) { $0 + order.tax(on: $1.price, rate: $1.taxRate) } : 0
        let net = refunded.reduce(Decimal(0)) { $0 + $1.subtotal } + shippingAmount
        let tax = refunded.reduce(Decimal(0)) { $0 + $1.tax } + shippingTax
        let amount = order.taxesIncluded ? net : net + tax
        let now = Timestamp.moment()
        let refund = RefundRecord(
            id: nextID(), createdAt: now, note: json["note"].string, lines: refunded, shipping: shippingAmount, shippingTax: shippingTax,
            transaction: TransactionRecord(id: nextID(), kind: "REFUND", status: "SUCCESS", gateway: order.gateways.first ?? "manual", amount: amount, processedAt: now))
        order.refunds.append(refund)
        order.transactions.append(refund.transaction)
        let paidBack = order.refunds.reduce(Decimal(0)) { $0 + $1.transaction.amount }
        order.financialStatus = paidBack >= order.total ? "REFUNDED" : "PARTIALLY_REFUNDED"
        order.updatedAt = Timestamp.millisecond(max(Timestamp.moment(), order.updatedAt.addingTimeInterval(0.0015)))
        orders[orderID] = order
        return (order, refund)
    }

    /// A `refunds/create` body as Shopify sends it: the refund, with its order's id.
    func refundPayload(_ refund: RefundRecord, order: OrderRecord) -> [UInt8] {
        let lines: [[String: Any]] = refund.lines.map {
            ["id": $0.id, "line_item_id": $0.lineItemID, "quantity": $0.quantity, "restock_type": $0.restock ? "return" : "no_restock",
             "subtotal": Self.format($0.subtotal), "total_tax": Self.format($0.tax)]
        }
        let payload: [String: Any] = [
            "id": refund.id, "admin_graphql_api_id": GID.make("Refund", refund.id), "order_id": order.id, "created_at": Timestamp.text(refund.createdAt),
            "note": refund.note as Any, "refund_line_items": lines,
            "transactions": [["id": refund.transaction.id, "kind": "refund", "amount": Self.format(refund.transaction.amount), "gateway": refund.transaction.gateway]],
        ]
        return Array((try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data())
    }

    static func cents(_ amount: Decimal) -> Decimal {
        var exact = amount
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, 2, .plain)
        return rounded
    }

    func refundNode(_ refund: RefundRecord, order: OrderRecord) -> [String: any Sendable] {
        func money(_ amount: Decimal) -> [String: any Sendable] {
            ["shopMoney": ["amount": Self.format(amount), "currencyCode": order.currency] as [String: any Sendable]]
        }
        let lines: [[String: any Sendable]] = refund.lines.map { line in
            let item = order.lineItems.first { $0.id == line.lineItemID }
            let lineNode: [String: any Sendable] = [
                "id": GID.make("LineItem", line.lineItemID), "sku": item?.sku, "title": item?.title ?? "", "quantity": item?.quantity ?? 0,
                "originalUnitPriceSet": money(item?.unitPrice ?? 0),
            ]
            return [
                "id": GID.make("RefundLineItem", line.id), "quantity": line.quantity, "restocked": line.restock,
                "restockType": line.restock ? "RETURN" : "NO_RESTOCK", "priceSet": money(line.unitPrice), "subtotalSet": money(line.subtotal),
                "totalTaxSet": money(line.tax), "lineItem": lineNode,
            ]
        }
        var shipping: [[String: any Sendable]] = []
        if refund.shipping > 0 {
            shipping.append(["id": GID.make("RefundShippingLine", refund.id), "subtotalAmountSet": money(refund.shipping), "taxAmountSet": money(refund.shippingTax)])
        }
        let transaction: [String: any Sendable] = [
            "id": GID.make("OrderTransaction", refund.transaction.id), "kind": refund.transaction.kind, "status": refund.transaction.status,
            "gateway": refund.transaction.gateway, "amountSet": money(refund.transaction.amount), "processedAt": Timestamp.text(refund.createdAt),
        ]
        return [
            "id": GID.make("Refund", refund.id), "createdAt": Timestamp.text(refund.createdAt), "updatedAt": Timestamp.text(refund.createdAt),
            "note": refund.note, "totalRefundedSet": money(refund.transaction.amount), "_lines": lines, "_shipping": shipping, "_transactions": [transaction],
        ]
    }
}
