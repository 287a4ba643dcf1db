@testable import Gateway
import Ledger
import Shops
import Testing

/// How a shipment without tracking, interrupted while it was sent, is judged by what its order
/// has left to ship.
@Suite struct ShipmentIntentTests {
    static func target(_ remaining: [String: Int]) -> ShipmentTarget {
        ShipmentTarget(
            orderID: "gid://shopify/Order/1", orderName: "#1001",
            lines: remaining.sorted { $0.key < $1.key }.map { .init(fulfillmentOrderID: $0.key.hasPrefix("a") ? "FO-1" : "FO-2", id: $0.key, sku: nil, remaining: $0.value) },
            trackingNumbers: [])
    }

    static let intent = ShipmentIntent(requests: FulfillmentRequests(orders: [("FO-1", [("a1", 1), ("a2", 2)]), ("FO-2", [("b1", 1)])]), target: target(["a1": 2, "a2": 2, "b1": 1]))

    @Test func takesAShipmentWhoseLinesWentDownByItsQuantitiesAsSent() {
        guard case .sent = Self.intent.resumption(Self.target(["a1": 1])) else { Issue.record("not sent"); return }
    }

    @Test func sendsOnlyTheFulfillmentOrdersTheInterruptedAttemptDidNotReach() {
        guard case .unsent(let parts) = Self.intent.resumption(Self.target(["a1": 1, "b1": 1])) else { Issue.record("not unsent"); return }
        #expect(parts.orders.map(\.fulfillmentOrderID) == ["FO-2"])
        #expect(parts.orders.first?.lines.map(\.id) == ["b1"])
        #expect(parts.orders.first?.lines.map(\.quantity) == [1])
    }

    @Test func refusesToGuessWhenALineMovedByAnotherQuantity() {
        guard case .uncertain(let before, let quantity, let now) = Self.intent.resumption(Self.target(["a1": 2, "a2": 1, "b1": 1])) else {
            Issue.record("not uncertain"); return
        }
        #expect((before, quantity, now) == (2, 2, 1))
    }

    @Test func readsANotedIntentBack() throws {
        let noted = Self.intent.record(shop: "main", key: "k", fileID: 7)
        #expect(ShipmentIntent(noted) == Self.intent)
        #expect(noted.kind == ShipmentIntent.kind)
    }
}
