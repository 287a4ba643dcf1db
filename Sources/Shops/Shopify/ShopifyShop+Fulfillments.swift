import Foundation

/// Shipments (`Fulfillments.graphql`): an order by name with what is left to ship, and
/// `fulfillmentCreate`.
extension ShopifyShop {
    static let orderForShipmentCost = 300.0

    private struct OrderAnswer: Decodable, Sendable {
        struct Nodes<Node: Decodable & Sendable>: Decodable, Sendable {
            var nodes: [Node]
        }

        struct Fulfillment: Decodable, Sendable {
            struct Tracking: Decodable, Sendable {
                var number: String?
            }

            var trackingInfo: [Tracking]
        }

        struct FulfillmentOrder: Decodable, Sendable {
            struct Line: Decodable, Sendable {
                var id: String
                var sku: String?
                var remainingQuantity: Int
            }

            var id: String
            var status: String
            var lineItems: Nodes<Line>
        }

        struct Order: Decodable, Sendable {
            var id: String
            var name: String
            var fulfillments: [Fulfillment]
            var fulfillmentOrders: Nodes<FulfillmentOrder>
        }

        var orders: Nodes<Order>
    }

    private struct CreateVariables: Encodable, Sendable {
        struct Tracking: Encodable, Sendable {
            var company: String?
            var number: String?
            var url: String?
        }

        struct Line: Encodable, Sendable {
            var id: String
            var quantity: Int
        }

        struct Group: Encodable, Sendable {
            var fulfillmentOrderId: String
            var fulfillmentOrderLineItems: [Line]
        }

        struct Input: Encodable, Sendable {
            var trackingInfo: Tracking?
            var notifyCustomer: Bool
            var lineItemsByFulfillmentOrder: [Group]
        }

        var fulfillment: Input
    }

    private struct CreateAnswer: Decodable, Sendable {
        struct Payload: Decodable, Sendable {
            struct Created: Decodable, Sendable {
                var id: String
            }

            var fulfillment: Created?
            var userErrors: [UserErrorAnswer]
        }

        var fulfillmentCreate: Payload?
    }

    public func shipmentTarget(orderName: String) async throws(ShopError) -> ShipmentTarget? {
        let name = orderName.hasPrefix("#") ? orderName : "#" + orderName
        let answer = try await client.send(
            .orderForShipment, variables: QueryVariables(query: "name:" + Self.quoted(name)), estimatedCost: Self.orderForShipmentCost, safeToRepeat: true,
            as: OrderAnswer.self)
        guard let order = answer.data?.orders.nodes.first(where: { $0.name == name }) else { return nil }
        var lines: [ShipmentTarget.OpenLine] = []
        for fulfillmentOrder in order.fulfillmentOrders.nodes where ["OPEN", "IN_PROGRESS"].contains(fulfillmentOrder.status) {
            for line in fulfillmentOrder.lineItems.nodes where line.remainingQuantity > 0 {
                lines.append(.init(fulfillmentOrderID: fulfillmentOrder.id, id: line.id, sku: line.sku, remaining: line.remainingQuantity))
            }
        }
        let numbers = Set(order.fulfillments.flatMap(\.trackingInfo).compactMap(\.number))
        return ShipmentTarget(orderID: order.id, orderName: order.name, lines: lines, trackingNumbers: numbers)
    }

    public func fulfill(_ request: FulfillmentRequest) async throws(ShopError) -> FulfillmentOutcome {
        let tracking = request.trackingNumber == nil && request.company == nil && request.trackingURL == nil
            ? nil : CreateVariables.Tracking(company: request.company, number: request.trackingNumber, url: request.trackingURL)
        let variables = CreateVariables(fulfillment: .init(
            trackingInfo: tracking, notifyCustomer: request.notifyCustomer,
            lineItemsByFulfillmentOrder: [.init(fulfillmentOrderId: request.fulfillmentOrderID, fulfillmentOrderLineItems: request.lines.map { .init(id: $0.id, quantity: $0.quantity) })]))
        // Not safe to repeat: fulfillmentCreate has no idempotency key (the caller checks the
        // order's tracking numbers before trying again).
        let answer = try await client.send(.fulfillmentCreate, variables: variables, estimatedCost: 10, safeToRepeat: false, as: CreateAnswer.self)
        guard let payload = answer.data?.fulfillmentCreate else { throw .invalidCall(shop: name, detail: "fulfillmentCreate: no data in the answer") }
        if let created = payload.fulfillment, payload.userErrors.isEmpty { return .created(id: created.id) }
        return .refused(payload.userErrors.map { error in
            let field = error.field?.joined(separator: ".") ?? ""
            return field.isEmpty ? error.message : "\(field): \(error.message)"
        })
    }
}
