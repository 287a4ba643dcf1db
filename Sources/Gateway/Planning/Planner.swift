import Commerce
import Crypto
import Foundation
public import Ledger
public import Mapping

/// Compares mapped objects with what was last pushed to a shop (the ledger's record state) and
/// says, per object, create, update with the changed fields, or unchanged. Fields marked
/// `on: create` count only for objects not yet in the shop; fields a file leaves blank under
/// `blank: keep` are not compared (the shop keeps them).
public enum Planner {
    public static func plan(_ mapping: MappingResult, spec: MappingSpec, shop: String, ledger: Ledger) throws -> Plan {
        try plan(mapping, spec: spec, shop: shop) { kind, keys in try ledger.recordStates(shop: shop, kind: kind, keys: keys) }
    }

    /// - Parameter states: the last pushed state of some keys of a kind (`product`, `stock`), by key.
    public static func plan(
        _ mapping: MappingResult, spec: MappingSpec, shop: String, states: (String, [String]) throws -> [String: RecordState]
    ) throws -> Plan {
        let createOnly = spec.createOnlyFields
        var items: [PlanItem] = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]

        let productStates = try states("product", mapping.products.map(\.product.handle))
        for mapped in mapping.products {
            let content = String(decoding: try encoder.encode(mapped.product), as: UTF8.self)
            let item = try Self.item(
                kind: "product", key: mapped.product.handle, content: content, rows: mapped.rows, previous: productStates[mapped.product.handle],
                createOnly: createOnly)
            items.append(item)
        }
        let stockKeys = mapping.stock.map { "\($0.level.sku)@\($0.level.location)" }
        let stockStates = try states("stock", stockKeys)
        for (mapped, key) in zip(mapping.stock, stockKeys) {
            let content = "{\"quantity\":\(mapped.level.quantity)}"
            items.append(try Self.item(kind: "stock", key: key, content: content, rows: [mapped.row], previous: stockStates[key], createOnly: []))
        }
        return Plan(shop: shop, items: items)
    }

    /// SHA-256 of an object's canonical JSON, as the ledger keeps it.
    public static func hash(_ content: String) -> String {
        SHA256.hash(data: Data(content.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func item(kind: String, key: String, content: String, rows: [Int], previous: RecordState?, createOnly: Set<String>) throws -> PlanItem {
        guard let previous else { return PlanItem(kind: kind, key: key, action: .create, changes: [], rows: rows, content: content) }
        if previous.contentHash == hash(content) {
            return PlanItem(kind: kind, key: key, action: .unchanged, changes: [], rows: rows, content: content)
        }
        let now = try flatten(content, createOnly: createOnly)
        let before = try flatten(previous.content, createOnly: createOnly)
        var changes: [FieldChange] = []
        for (field, value) in now.sorted(by: { $0.key < $1.key }) where before[field] != value {
            changes.append(FieldChange(field: field, old: before[field] ?? nil, new: value))
        }
        // A variant pushed before that the file no longer has would be removed by a full update.
        let variantsNow = Set(now.keys.compactMap(variantKey))
        for sku in Set(before.keys.compactMap(variantKey)).subtracting(variantsNow).sorted() {
            changes.append(FieldChange(field: "variants[\(sku)]", old: "present", new: nil))
        }
        return PlanItem(kind: kind, key: key, action: changes.isEmpty ? .unchanged : .update, changes: changes, rows: rows, content: content)
    }

    private static func variantKey(_ field: String) -> String? {
        guard field.hasPrefix("variants["), let end = field.firstIndex(of: "]") else { return nil }
        return String(field[field.index(field.startIndex, offsetBy: 9)..<end])
    }

    /// `{"title": "X", "variants": [{"sku": "A", "price": 1}]}` → `title: X`, `variants[A].price: 1`;
    /// create-only fields (`product.x`, `variant.y`) are left out. A null value (cleared) stays as nil.
    static func flatten(_ json: String, createOnly: Set<String>) throws -> [String: String?] {
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [:] }
        var fields: [String: String?] = [:]
        for (name, value) in object where name != "handle" {
            if name == "variants", let variants = value as? [[String: Any]] {
                for variant in variants {
                    guard let sku = variant["sku"] as? String else { continue }
                    for (field, v) in variant where field != "sku" && !createOnly.contains("variant." + field) {
                        fields["variants[\(sku)].\(field)"] = render(v)
                    }
                }
            } else if !createOnly.contains("product." + name) {
                fields[name] = render(value)
            }
        }
        return fields
    }

    private static func render(_ value: Any) -> String? {
        if value is NSNull { return nil }
        if let text = value as? String { return text }
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes]) else {
            return "\(value)"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
