import Crypto
import Foundation
import Ledger
import Shops
import Transport

/// What the ledger notes just before a shipment without a tracking number is sent: for each
/// fulfillment order line, how many it had left to ship and how many the shipment takes. Such a
/// shipment leaves nothing in the shop to recognise it by, so after a crash between the shop's
/// answer and the ledger's record, the open quantities are what tell: a line that went down by
/// the shipment's quantity was sent, one that did not move was not, and one that moved otherwise
/// (a refund, a fulfillment by hand) cannot be told and is not sent again.
/// Fulfillment order lines to ship, grouped by fulfillment order (one `fulfillmentCreate` each).
struct FulfillmentRequests {
    var orders: [(fulfillmentOrderID: String, lines: [(id: String, quantity: Int)])] = []

    /// Adds a line to its fulfillment order's request, opening one for a new order.
    mutating func add(_ lineID: String, quantity: Int, of fulfillmentOrderID: String) {
        if let at = orders.firstIndex(where: { $0.fulfillmentOrderID == fulfillmentOrderID }) {
            orders[at].lines.append((lineID, quantity))
        } else {
            orders.append((fulfillmentOrderID, [(lineID, quantity)]))
        }
    }
}

struct ShipmentIntent: Equatable {
    static let kind = "shipment-intent"

    struct Part: Equatable {
        var fulfillmentOrderID: String
        var lineID: String
        var remainingBefore: Int
        var quantity: Int
    }

    var parts: [Part]

    /// The parts of `requests`, with what `target` has left of each now.
    init(requests: FulfillmentRequests, target: ShipmentTarget) {
        parts = requests.orders.flatMap { order, lines in
            lines.map { line in
                Part(fulfillmentOrderID: order, lineID: line.id, remainingBefore: target.remaining(of: line.id), quantity: line.quantity)
            }
        }
    }

    /// Reads a noted intent back (nil if it is not one).
    init?(_ state: RecordState) {
        var parts: [Part] = []
        for line in state.content.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 4, let before = Int(fields[2]), let quantity = Int(fields[3]) else { return nil }
            parts.append(Part(fulfillmentOrderID: String(fields[0]), lineID: String(fields[1]), remainingBefore: before, quantity: quantity))
        }
        self.parts = parts
    }

    func record(shop: String, key: String, fileID: Int64) -> RecordState {
        let content = parts.map { "\($0.fulfillmentOrderID) \($0.lineID) \($0.remainingBefore) \($0.quantity)" }.joined(separator: "\n")
        return RecordState(
            shop: shop, kind: Self.kind, key: key, contentHash: SHA256.hash(data: Array(content.utf8)).hex, content: content, remoteIDs: [:],
            pushedAt: Date(), fileID: fileID)
    }

    enum Resumption {
        /// Every part reached the shop.
        case sent
        /// These parts did not (the others did): send them.
        case unsent(FulfillmentRequests)
        /// A line's open quantity moved by something else: what it had, took and has.
        case uncertain(before: Int, quantity: Int, now: Int)
    }

    /// What an interrupted attempt left, judged by what `target` has left to ship now.
    func resumption(_ target: ShipmentTarget) -> Resumption {
        var unsent = FulfillmentRequests()
        for part in parts {
            let now = target.remaining(of: part.lineID)
            if now == part.remainingBefore - part.quantity { continue }
            guard now == part.remainingBefore else { return .uncertain(before: part.remainingBefore, quantity: part.quantity, now: now) }
            unsent.add(part.lineID, quantity: part.quantity, of: part.fulfillmentOrderID)
        }
        return unsent.orders.isEmpty ? .sent : .unsent(unsent)
    }
}

extension ShipmentTarget {
    /// What the fulfillment order line still has to ship (0 when it is no longer open).
    func remaining(of lineID: String) -> Int {
        lines.first { $0.id == lineID }?.remaining ?? 0
    }
}
