import Transport
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
    /// - Parameter complete: the file had no rejected rows, so a product it lacks is really gone
    ///   (only then are missing products deactivated).
    public static func plan(_ mapping: MappingResult, spec: MappingSpec, shop: String, ledger: Ledger, complete: Bool = true) throws -> Plan {
        try plan(
            mapping, spec: spec, shop: shop, complete: complete,
            states: { kind, keys in try ledger.recordStates(shop: shop, kind: kind, keys: keys) },
            allStates: { kind in try ledger.recordStates(shop: shop, kind: kind) })
    }

    /// - Parameters:
    ///   - states: the last pushed state of some keys of a kind (`product`, `stock`), by key.
    ///   - allStates: every pushed state of a kind (for products that disappeared).
    public static func plan(
        _ mapping: MappingResult, spec: MappingSpec, shop: String, complete: Bool = true,
        states: (String, [String]) throws -> [String: RecordState], allStates: (String) throws -> [RecordState] = { _ in [] }
    ) throws -> Plan {
        let createOnly = spec.createOnlyFields
        var items: [PlanItem] = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]

        let productStates = try states("product", mapping.products.map(\.product.handle))
        for mapped in mapping.products {
            let content = String(decoding: try encoder.encode(mapped.product), as: UTF8.self)
            let item = try Self.item(
                .product(mapped.product), key: mapped.product.handle, content: content, rows: mapped.rows,
                previous: productStates[mapped.product.handle], createOnly: createOnly)
            items.append(item)
        }
        let stockKeys = mapping.stock.map { "\($0.level.sku)@\($0.level.location)" }
        let stockStates = try states("stock", stockKeys)
        for (mapped, key) in zip(mapping.stock, stockKeys) {
            let content = "{\"quantity\":\(mapped.level.quantity)}"
            items.append(try Self.item(.stock(mapped.level), key: key, content: content, rows: [mapped.row], previous: stockStates[key], createOnly: []))
        }
        var plan = Plan(shop: shop, items: items)
        if spec.target == .products && spec.missing != .keep {
            try planMissing(&plan, mapping: mapping, spec: spec, complete: complete, known: try allStates("product"))
        }
        return plan
    }

    /// Products pushed before that the file lacks become `deactivate` items (status → draft or
    /// archived), unless the file had rejected rows or more than `missingLimit` of the known
    /// products would change at once: then none does, and the plan says why.
    static func planMissing(_ plan: inout Plan, mapping: MappingResult, spec: MappingSpec, complete: Bool, known: [RecordState]) throws {
        let target = spec.missing == .draft ? ProductStatus.draft.rawValue : ProductStatus.archived.rawValue
        let inFile = Set(mapping.products.map(\.product.handle))
        var gone: [(RecordState, String?)] = []
        for state in known where !inFile.contains(state.key) {
            let status = try flatten(state.content, createOnly: [])["status"] ?? nil
            if status?.lowercased() != target { gone.append((state, status)) }
        }
        guard !gone.isEmpty else { return }
        guard complete else {
            plan.warnings.append("\(gone.count) products are not in the file, but it had rejected rows, so none is set to \(target)")
            return
        }
        let share = Double(gone.count) / Double(max(known.count, 1))
        guard share <= spec.missingLimit else {
            plan.warnings.append("\(gone.count) of \(known.count) products (\(Int((share * 100).rounded()))%) are not in the file, more than the limit of "
                + "\(Int((spec.missingLimit * 100).rounded()))%: none is set to \(target) (is the export complete?)")
            return
        }
        for (state, status) in gone {
            let product = try JSONDecoder().decode(Product.self, from: Data(state.content.utf8))
            plan.items.append(PlanItem(
                subject: .product(product), key: state.key, action: .deactivate, changes: [FieldChange(field: "status", old: status, new: target)],
                rows: [], content: state.content))
        }
    }

    /// SHA-256 of an object's canonical JSON, as the ledger keeps it.
    public static func hash(_ content: String) -> String {
        SHA256.hash(data: Data(content.utf8)).hex
    }

    static func item(
        _ subject: PlanItem.Subject, key: String, content: String, rows: [Int], previous: RecordState?, createOnly: Set<String>
    ) throws -> PlanItem {
        guard let previous else { return PlanItem(subject: subject, key: key, action: .create, changes: [], rows: rows, content: content) }
        if previous.contentHash == hash(content) {
            return PlanItem(subject: subject, key: key, action: .unchanged, changes: [], rows: rows, content: content)
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
        return PlanItem(subject: subject, key: key, action: changes.isEmpty ? .unchanged : .update, changes: changes, rows: rows, content: content)
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
