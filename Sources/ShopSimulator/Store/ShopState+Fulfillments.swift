import Foundation
import GraphQL

/// Fulfillment orders and fulfillments as Shopify keeps them: each order has one fulfillment
/// order (the simulator does not split by location) whose lines say how many are still to ship;
/// `fulfillmentCreate` ships some of them with tracking, refusing what is not there to ship.
extension ShopState {
    /// `fulfillmentCreate(fulfillment:)`: checks every fulfillment order and line, then ships
    /// all or nothing. Plain `UserError`s (no code), as Shopify's.
    func createFulfillment(_ input: Map) -> (payload: [String: any Sendable], order: OrderRecord?) {
        func refused(_ field: [String], _ message: String) -> (payload: [String: any Sendable], order: OrderRecord?) {
            (["fulfillment": nil as (any Sendable)?, "userErrors": [["field": field, "message": message] as [String: any Sendable]]], nil)
        }
        let groups = input["lineItemsByFulfillmentOrder"].array ?? []
        guard !groups.isEmpty else { return refused(["fulfillment", "lineItemsByFulfillmentOrder"], "Line items by fulfillment order can't be blank.") }
        var orderID: Int?
        var quantities: [Int: Int] = [:]
        for (g, group) in groups.enumerated() {
            let path = ["fulfillment", "lineItemsByFulfillmentOrder", String(g)]
            let id = group["fulfillmentOrderId"].string ?? ""
            guard let number = GID.number(id, type: "FulfillmentOrder"), let order = orders.values.first(where: { $0.fulfillmentOrderID == number }) else {
                return refused(path + ["fulfillmentOrderId"], "Fulfillment order does not exist.")
            }
            if let earlier = orderID, earlier != order.id {
                return refused(path + ["fulfillmentOrderId"], "All fulfillment orders must belong to the same order.")
            }
            orderID = order.id
            let status = order.fulfillmentOrderStatus
            guard status == "OPEN" || status == "IN_PROGRESS" else {
                return refused(path + ["fulfillmentOrderId"], "Fulfillment order \(id) has an unfulfillable status= \(status.lowercased()).")
            }
            // Without lines: everything still to ship on the fulfillment order.
            guard let items = group["fulfillmentOrderLineItems"].array else {
                for line in order.lineItems where order.remaining(line: line) > 0 { quantities[line.id, default: 0] += order.remaining(line: line) }
                continue
            }
            for (i, item) in items.enumerated() {
                let itemPath = path + ["fulfillmentOrderLineItems", String(i)]
                guard let lineID = item["id"].string.flatMap({ GID.number($0, type: "FulfillmentOrderLineItem") }),
                      let line = order.lineItems.first(where: { $0.id == lineID })
                else { return refused(itemPath + ["id"], "Fulfillment order line item does not exist.") }
                let quantity = item["quantity"].int ?? 0
                guard quantity > 0, quantities[line.id, default: 0] + quantity <= order.remaining(line: line) else {
                    return refused(itemPath + ["quantity"], "Invalid fulfillment order line item quantity requested.")
                }
                quantities[line.id, default: 0] += quantity
            }
        }
        guard let orderID, var order = orders[orderID], !quantities.isEmpty else {
            return refused(["fulfillment", "lineItemsByFulfillmentOrder"], "Fulfillment order has no line items to fulfill.")
        }
        let tracking = input["trackingInfo"]
        let fulfillment = FulfillmentRecord(
            id: nextID(), quantities: quantities, company: tracking["company"].string, number: tracking["number"].string ?? tracking["numbers"].array?.first?.string,
            url: tracking["url"].string ?? tracking["urls"].array?.first?.string, notifyCustomer: input["notifyCustomer"].bool ?? false,
            createdAt: Timestamp.moment())
        order.fulfillments.append(fulfillment)
        order.fulfillmentStatus = order.fulfillmentOrderStatus == "CLOSED" ? "FULFILLED" : "PARTIALLY_FULFILLED"
        order.updatedAt = Timestamp.millisecond(max(Timestamp.moment(), order.updatedAt.addingTimeInterval(0.0015)))
        orders[orderID] = order
        return (["fulfillment": fulfillmentNode(fulfillment, order: order), "userErrors": [[String: any Sendable]]()], order)
    }

    func fulfillmentOrderNode(_ order: OrderRecord) -> [String: any Sendable] {
        let lines: [[String: any Sendable]] = order.lineItems.map { line in
            [
                "id": GID.make("FulfillmentOrderLineItem", line.id), "sku": line.sku, "totalQuantity": line.quantity,
                "remainingQuantity": order.remaining(line: line), "lineItem": ["id": GID.make("LineItem", line.id), "sku": line.sku] as [String: any Sendable],
            ]
        }
        return ["id": GID.make("FulfillmentOrder", order.fulfillmentOrderID), "status": order.fulfillmentOrderStatus, "_lineItems": lines]
    }

    func fulfillmentNode(_ fulfillment: FulfillmentRecord, order: OrderRecord) -> [String: any Sendable] {
        var tracking: [[String: any Sendable]] = []
        if fulfillment.number != nil || fulfillment.company != nil {
            tracking.append(["company": fulfillment.company, "number": fulfillment.number, "url": fulfillment.url])
        }
        return [
            "id": GID.make("Fulfillment", fulfillment.id), "status": "SUCCESS", "createdAt": Timestamp.text(fulfillment.createdAt),
            "totalQuantity": fulfillment.quantities.values.reduce(0, +), "trackingInfo": tracking,
        ]
    }

    /// The REST-shaped body of a `fulfillments/create` webhook.
    func webhookPayload(_ fulfillment: FulfillmentRecord, order: OrderRecord) -> [UInt8] {
        let payload: [String: Any] = [
            "id": fulfillment.id, "admin_graphql_api_id": GID.make("Fulfillment", fulfillment.id), "order_id": order.id, "status": "success",
            "tracking_company": fulfillment.company as Any, "tracking_number": fulfillment.number as Any, "tracking_url": fulfillment.url as Any,
            "created_at": Timestamp.text(fulfillment.createdAt),
        ]
        return Array((try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data())
    }
}
