import Foundation
import GraphQL

/// `inventorySetQuantities` with Shopify's rules: the names and reasons it knows, every item
/// stocked at the location, no pair twice, `changeFromQuantity` compared when not null, the
/// whole call applied or (on any user error) nothing; a key reused with the same variables
/// answers as the first time without applying again.
extension ShopState {
    static let quantityNames: Set<String> = ["available", "on_hand"]
    static let reasons: Set<String> = [
        "correction", "cycle_count_available", "damaged", "movement_canceled", "movement_created", "movement_received",
        "movement_updated", "other", "promotion", "quality_control", "received", "reservation_created", "reservation_deleted",
        "reservation_updated", "restock", "safety_stock", "shrinkage",
    ]

    func setQuantities(input: Map, key: String, fingerprint: String) -> [String: any Sendable] {
        if let earlier = idempotency[key] {
            if earlier.fingerprint == fingerprint { return earlier.payload }
            return [
                "inventoryAdjustmentGroup": nil as (any Sendable)?,
                "userErrors": [userError(nil, "The same idempotency key was used with different parameters.", code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH")],
            ]
        }
        var errors: [[String: any Sendable]] = []
        let name = input["name"].string ?? ""
        if !Self.quantityNames.contains(name) {
            errors.append(userError(["input", "name"], "The quantity name must be either 'available' or 'on_hand'.", code: "INVALID_NAME"))
        }
        if !Self.reasons.contains(input["reason"].string ?? "") {
            errors.append(userError(["input", "reason"], "The specified reason is invalid.", code: "INVALID_REASON"))
        }
        if let uri = input["referenceDocumentUri"].string, uri.range(of: "^gid://[^/]+/[^/]+/.+$", options: .regularExpression) == nil {
            errors.append(userError(["input", "referenceDocumentUri"], "The reference document URI is invalid.", code: "INVALID_REFERENCE_DOCUMENT"))
        }
        var changes: [(item: Int, location: Int, quantity: Int)] = []
        var seen = Set<[Int]>()
        for (index, entry) in (input["quantities"].array ?? []).enumerated() {
            let path = ["input", "quantities", String(index)]
            guard let item = entry["inventoryItemId"].string.flatMap({ GID.number($0, type: "InventoryItem") }), variantByItem[item] != nil else {
                errors.append(userError(path + ["inventoryItemId"], "The specified inventory item could not be found.", code: "INVALID_INVENTORY_ITEM"))
                continue
            }
            guard let location = entry["locationId"].string.flatMap({ self.location(gid: $0) }) else {
                errors.append(userError(path + ["locationId"], "The specified location could not be found.", code: "INVALID_LOCATION"))
                continue
            }
            guard let level = levels[item]?[location.id] else {
                errors.append(userError(path + ["locationId"], "The item is not stocked at the location.", code: "ITEM_NOT_STOCKED_AT_LOCATION"))
                continue
            }
            let quantity = entry["quantity"].int ?? 0
            if quantity < 0 && name == "on_hand" {
                errors.append(userError(path + ["quantity"], "The quantity can't be negative.", code: "INVALID_QUANTITY_NEGATIVE"))
            } else if quantity > 1_000_000_000 {
                errors.append(userError(path + ["quantity"], "The quantity can't be higher than 1,000,000,000.", code: "INVALID_QUANTITY_TOO_HIGH"))
            }
            if !seen.insert([item, location.id]).inserted {
                errors.append(userError(
                    path, "The combination of inventoryItemId and locationId must be unique.", code: "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR"))
            }
            let current = name == "on_hand" ? level.onHand : level.available
            if let expected = entry["changeFromQuantity"].int, expected != current {
                errors.append(userError(
                    path + ["changeFromQuantity"], "The specified compare quantity does not match the current quantity.",
                    code: "CHANGE_FROM_QUANTITY_STALE"))
            }
            changes.append((item, location.id, quantity))
        }
        guard errors.isEmpty else {
            return ["inventoryAdjustmentGroup": nil as (any Sendable)?, "userErrors": errors]
        }
        for change in changes {
            var level = levels[change.item]![change.location]!
            level.available = name == "on_hand" ? change.quantity - level.committed : change.quantity
            levels[change.item]![change.location] = level
        }
        adjustmentGroups += 1
        let group: [String: any Sendable] = [
            "id": GID.make("InventoryAdjustmentGroup", nextID()), "reason": input["reason"].string ?? "", "createdAt": Timestamp.now(),
        ]
        let payload: [String: any Sendable] = ["inventoryAdjustmentGroup": group, "userErrors": [[String: any Sendable]]()]
        idempotency[key] = (fingerprint, payload)
        return payload
    }
}
