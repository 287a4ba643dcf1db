public import Commerce
public import Foundation

/// Reading orders for export: pages of orders changed in a window (oldest change first), and
/// single orders by id (a webhook names one).
extension ShopifyShop {
    /// Orders per page: each carries up to 10 lines (more are fetched after), which Shopify's
    /// published cost model prices at 135 points an order; one query may ask for 1000 at most.
    static let ordersPerPage = 7
    static let orderCost = 135.0

    public func ordersUpdated(from: Date, to: Date?, after: String?) async throws(ShopError) -> OrderPage {
        let query = Self.search(from: from, to: to)
        let answer = try await client.send(
            .ordersUpdated, variables: WindowVariables(first: Self.ordersPerPage, after: after, query: query),
            estimatedCost: 3 + Double(Self.ordersPerPage) * Self.orderCost, safeToRepeat: true, as: OrdersAnswer.self)
        guard let connection = answer.data?.orders else { throw .invalidCall(shop: name, detail: "orders: no data in the answer") }
        var orders: [Order] = []
        for node in connection.nodes { orders.append(try await complete(node)) }
        return OrderPage(orders: orders, next: connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : nil)
    }

    public func order(id: String) async throws(ShopError) -> Order? {
        let answer = try await client.send(.orderByID, variables: IDVariables(id: id), estimatedCost: Self.orderCost, safeToRepeat: true, as: OrderAnswer.self)
        guard let node = answer.data?.order else { return nil }
        return try await complete(node)
    }

    /// The order with all its lines (more than 25 need further pages).
    private func complete(_ node: OrderNode) async throws(ShopError) -> Order {
        var more: [OrderNode.Line] = []
        var after = node.lineItems?.pageInfo.hasNextPage == true ? node.lineItems?.pageInfo.endCursor : nil
        while let cursor = after {
            let answer = try await client.send(
                .orderLines, variables: IDVariables(id: node.id, after: cursor), estimatedCost: 3 + 100 * 7, safeToRepeat: true, as: OrderLinesAnswer.self)
            guard let lines = answer.data?.order?.lineItems else { break }
            more += lines.nodes
            after = lines.pageInfo.hasNextPage ? lines.pageInfo.endCursor : nil
        }
        do {
            return try node.order(moreLines: more)
        } catch {
            throw .invalidCall(shop: name, detail: error.description)
        }
    }
}
