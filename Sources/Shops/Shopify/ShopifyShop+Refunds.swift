public import Commerce
import Foundation

/// The refunds of one order (`OrderRefunds` in `Orders.graphql`).
extension ShopifyShop {
    private struct RefundsAnswer: Decodable, Sendable {
        struct LineItem: Decodable, Sendable {
            var id: String
            var sku: String?
            var title: String
        }

        struct Line: Decodable, Sendable {
            var quantity: Int
            var restocked: Bool
            var priceSet: MoneyAnswer
            var subtotalSet: MoneyAnswer
            var totalTaxSet: MoneyAnswer
            var lineItem: LineItem
        }

        struct Shipping: Decodable, Sendable {
            var subtotalAmountSet: MoneyAnswer
            var taxAmountSet: MoneyAnswer
        }

        struct TransactionNode: Decodable, Sendable {
            var kind: String
            var status: String
            var gateway: String?
            var amountSet: MoneyAnswer
        }

        struct Nodes<Node: Decodable & Sendable>: Decodable, Sendable {
            var nodes: [Node]
        }

        struct RefundNode: Decodable, Sendable {
            var id: String
            var createdAt: String?
            var updatedAt: String
            var note: String?
            var totalRefundedSet: MoneyAnswer
            var refundLineItems: Nodes<Line>
            var refundShippingLines: Nodes<Shipping>
            var transactions: Nodes<TransactionNode>
        }

        struct OrderRefunds: Decodable, Sendable {
            var refunds: [RefundNode]
        }

        var order: OrderRefunds?
    }

    /// Cost of `OrderRefunds` in Shopify's published model (50 lines, 5 shipping lines, 5 transactions).
    static let refundsCost = 450.0

    public func refunds(orderID: String) async throws(ShopError) -> [Refund] {
        let answer = try await client.send(.orderRefunds, variables: IDVariables(id: orderID), estimatedCost: Self.refundsCost, safeToRepeat: true, as: RefundsAnswer.self)
        guard let order = answer.data?.order else { return [] }
        var refunds: [Refund] = []
        for node in order.refunds {
            guard let created = ShopTime.date(node.createdAt ?? node.updatedAt) else {
                throw .invalidCall(shop: name, detail: "refund \(node.id): \(node.createdAt ?? node.updatedAt) is not a time")
            }
            refunds.append(Refund(
                id: node.id, createdAt: created, note: node.note,
                lines: node.refundLineItems.nodes.map {
                    RefundLine(
                        lineID: $0.lineItem.id, sku: $0.lineItem.sku, title: $0.lineItem.title, quantity: $0.quantity, restock: $0.restocked,
                        unitPrice: $0.priceSet.decimal, subtotal: $0.subtotalSet.decimal, tax: $0.totalTaxSet.decimal)
                },
                shipping: node.refundShippingLines.nodes.reduce(0) { $0 + $1.subtotalAmountSet.decimal },
                shippingTax: node.refundShippingLines.nodes.reduce(0) { $0 + $1.taxAmountSet.decimal }, total: node.totalRefundedSet.decimal,
                transactions: node.transactions.nodes.map { Transaction(kind: $0.kind, status: $0.status, gateway: $0.gateway, amount: $0.amountSet.decimal) }))
        }
        return refunds.sorted { $0.createdAt < $1.createdAt }
    }
}
