import Foundation
import Commerce
import Mapping
import Yams

extension ConfigLoader {
    /// Reads a flow's `map:` section. Every expression is parsed and every column it reads is
    /// checked against the flow's schema here, so mistakes stop the start with key and line.
    static func mapping(_ node: Node, at: String, columns: [String], reader: NodeReader) throws(ConfigError) -> MappingSpec {
        let map = try reader.mapping(node, key: at, known: [
            "to", "where", "group_by", "blank", "tables", "product", "variant", "options", "stock", "shipment", "missing", "missing_limit",
        ])
        let parser = MappingNodeParser(reader: reader, columns: columns, tables: try tables(map["tables"], at: "\(at).tables", reader: reader))
        guard let targetNode = map["to"], let targetText = targetNode.string, let target = MappingSpec.Target(rawValue: targetText) else {
            throw reader.error("\(at).to", map["to"] ?? node, "say what the records become: to: products, to: stock or to: shipments")
        }
        var spec = MappingSpec(target: target)
        if let filter = map["where"] { spec.filter = try parser.expression(filter, key: "\(at).where") }
        if let group = map["group_by"] { spec.groupBy = try parser.expression(group, key: "\(at).group_by") }
        if let blank = map["blank"] {
            guard let text = blank.string, let policy = BlankPolicy(rawValue: text) else {
                throw reader.error("\(at).blank", blank, "must be keep (a blank cell leaves the shop's value alone) or clear")
            }
            spec.blank = policy
        }
        if let missing = map["missing"] {
            guard target == .products else { throw reader.error("\(at).missing", missing, "belongs to a mapping with to: products") }
            guard let text = missing.string, let policy = MissingPolicy(rawValue: text) else {
                throw reader.error("\(at).missing", missing, "must be keep, draft or archive")
            }
            spec.missing = policy
        }
        if let limit = map["missing_limit"] {
            let text = (limit.string ?? "").trimmingCharacters(in: .whitespaces)
            guard text.hasSuffix("%"), let percent = Double(text.dropLast()), percent > 0, percent <= 100 else {
                throw reader.error("\(at).missing_limit", limit, "must be a share such as 10%")
            }
            spec.missingLimit = percent / 100
        }
        switch target {
        case .products:
            for key in ["stock", "shipment"] where map[key] != nil { throw reader.error("\(at).\(key)", map[key]!, "belongs to a mapping with to: stock") }
            if let product = map["product"] {
                let fields = try reader.mapping(product, key: "\(at).product", known: ProductField.allCases.map(\.rawValue))
                for (name, fieldNode) in fields {
                    spec.product[ProductField(rawValue: name)!] = try parser.field(fieldNode, key: "\(at).product.\(name)")
                }
            }
            guard let variant = map["variant"] else {
                throw reader.error("\(at).variant", node, "missing: at least variant.sku, the key that finds an article in the shop")
            }
            let fields = try reader.mapping(variant, key: "\(at).variant", known: VariantField.allCases.map(\.rawValue))
            for (name, fieldNode) in fields {
                spec.variant[VariantField(rawValue: name)!] = try parser.field(fieldNode, key: "\(at).variant.\(name)")
            }
            guard spec.variant[.sku] != nil else { throw reader.error("\(at).variant.sku", variant, "missing: the SKU is how the shop finds the article") }
            if let options = map["options"] {
                guard case .mapping(let pairs) = options else { throw reader.error("\(at).options", options, "must map option names to columns") }
                for (nameNode, valueNode) in pairs {
                    guard let name = nameNode.string else { throw reader.error("\(at).options", nameNode, "option names must be text") }
                    spec.options.append(MappingSpec.Option(name: name, map: try parser.field(valueNode, key: "\(at).options.\(name)")))
                }
                guard spec.options.count <= 3 else { throw reader.error("\(at).options", options, "Shopify allows at most 3 options per product") }
            }
        case .stock:
            for key in ["product", "variant", "options", "group_by", "shipment"] where map[key] != nil {
                throw reader.error("\(at).\(key)", map[key]!, key == "shipment" ? "belongs to a mapping with to: shipments" : "belongs to a mapping with to: products")
            }
            guard let stockNode = map["stock"] else { throw reader.error("\(at).stock", node, "missing: sku, location and on_hand") }
            let fields = try reader.mapping(stockNode, key: "\(at).stock", known: ["sku", "location", "on_hand", "reserved", "quantity"])
            func required(_ name: String) throws(ConfigError) -> FieldMap {
                guard let field = fields[name] else { throw reader.error("\(at).stock.\(name)", stockNode, "missing") }
                return try parser.field(field, key: "\(at).stock.\(name)")
            }
            var stock = StockSpec(sku: try required("sku"), location: try required("location"), onHand: try required("on_hand"))
            if let reserved = fields["reserved"] { stock.reserved = try parser.field(reserved, key: "\(at).stock.reserved") }
            if let quantity = fields["quantity"] {
                guard let text = quantity.string, let choice = StockSpec.Quantity(rawValue: text) else {
                    throw reader.error("\(at).stock.quantity", quantity, "must be available (on hand minus reserved) or on_hand")
                }
                stock.quantity = choice
            }
            spec.stock = stock
        case .shipments:
            for key in ["product", "variant", "options", "group_by", "stock", "missing"] where map[key] != nil {
                throw reader.error("\(at).\(key)", map[key]!, "does not belong to a mapping with to: shipments")
            }
            guard let shipmentNode = map["shipment"] else { throw reader.error("\(at).shipment", node, "missing: at least the order number (order:)") }
            let fields = try reader.mapping(
                shipmentNode, key: "\(at).shipment", known: ["order", "sku", "quantity", "carrier", "tracking_number", "tracking_url", "notify"])
            func field(_ name: String) throws(ConfigError) -> FieldMap? {
                try fields[name].map { (node: Node) throws(ConfigError) -> FieldMap in try parser.field(node, key: "\(at).shipment.\(name)") }
            }
            guard let order = try field("order") else { throw reader.error("\(at).shipment.order", shipmentNode, "missing: the shop's order number") }
            let sku = try field("sku")
            let quantity = try field("quantity")
            if (sku == nil) != (quantity == nil) {
                throw reader.error("\(at).shipment", shipmentNode, "sku and quantity go together (without both, a row ships the whole order)")
            }
            spec.shipment = ShipmentSpec(
                order: order, sku: sku, quantity: quantity, carrier: try field("carrier"), trackingNumber: try field("tracking_number"),
                trackingURL: try field("tracking_url"), notify: try field("notify"))
        }
        return spec
    }

    static func tables(_ node: Node?, at: String, reader: NodeReader) throws(ConfigError) -> [String: ValueTable] {
        guard let node else { return [:] }
        guard case .mapping(let pairs) = node else { throw reader.error(at, node, "must map table names to their entries") }
        var tables: [String: ValueTable] = [:]
        for (nameNode, tableNode) in pairs {
            guard let name = nameNode.string else { throw reader.error(at, nameNode, "table names must be text") }
            tables[name] = try MappingNodeParser.table(tableNode, name: name, key: "\(at).\(name)", reader: reader)
        }
        return tables
    }
}

/// Reads the field maps of one `map:` section.
struct MappingNodeParser {
    let reader: NodeReader
    let columns: [String]
    let tables: [String: ValueTable]
    /// How a name that is not there is reported.
    var unknownName = "the schema has no column"

    /// An expression; its columns must exist in the schema.
    func expression(_ node: Node, key: String) throws(ConfigError) -> Mapping.Expression {
        guard let text = node.string, !text.isEmpty else { throw reader.error(key, node, "must be a column name or an expression") }
        let expression: Mapping.Expression
        do {
            expression = try ExpressionParser.parse(text, columns: Set(columns))
        } catch {
            throw reader.error(key, node, "\(error)")
        }
        for column in expression.columns where !columns.contains(column) {
            let hint = reader.closest(to: column, in: columns).map { "; did you mean \($0)?" } ?? ""
            throw reader.error(key, node, "\(unknownName) \"\(column)\"\(hint) (write names with spaces or symbols in [brackets] inside expressions)")
        }
        return expression
    }

    /// `Column`, `expression`, or `{value: …, const: …, table: …, split: …, on: create, blank: clear, unit: kg}`.
    func field(_ node: Node, key: String) throws(ConfigError) -> FieldMap {
        if case .scalar(let scalar) = node {
            return FieldMap(source: scalar.string, expression: try expression(node, key: key))
        }
        let map = try reader.mapping(node, key: key, known: ["value", "const", "table", "split", "on", "blank", "unit"])
        var field: FieldMap
        switch (map["value"], map["const"]) {
        case (let value?, nil):
            field = FieldMap(source: value.string ?? "", expression: try expression(value, key: "\(key).value"))
        case (nil, let constant?):
            guard let text = constant.string else { throw reader.error("\(key).const", constant, "must be a single value") }
            field = FieldMap(source: "'\(text)'", expression: .literal(.text(text)))
        case (.some, .some):
            throw reader.error(key, node, "give either value or const, not both")
        case (nil, nil):
            throw reader.error(key, node, "missing: value (a column or expression) or const (a fixed value)")
        }
        if let table = map["table"] {
            if let name = table.string {
                guard let known = tables[name] else {
                    let hint = reader.closest(to: name, in: Array(tables.keys)).map { "; did you mean \($0)?" } ?? ""
                    throw reader.error("\(key).table", table, "no table \"\(name)\" under tables:\(hint)")
                }
                field.table = known
            } else {
                field.table = try Self.table(table, name: nil, key: "\(key).table", reader: reader)
            }
        }
        if let split = map["split"] { field.split = split.string }
        if let on = map["on"] {
            guard let text = on.string, let policy = UpdatePolicy(rawValue: text) else {
                throw reader.error("\(key).on", on, "must be always or create (send only when the shop object is created)")
            }
            field.on = policy
        }
        if let blank = map["blank"] {
            guard let text = blank.string, let policy = BlankPolicy(rawValue: text) else { throw reader.error("\(key).blank", blank, "must be keep or clear") }
            field.blank = policy
        }
        if let unit = map["unit"] {
            guard let text = unit.string, let parsed = Weight.Unit(spelling: text) else {
                throw reader.error("\(key).unit", unit, "must be kg, g, lb or oz")
            }
            field.unit = parsed
        }
        return field
    }

    /// `{HAUPT: Hauptlager, AUSSEN: Außenlager, default: Hauptlager}`.
    static func table(_ node: Node, name: String?, key: String, reader: NodeReader) throws(ConfigError) -> ValueTable {
        guard case .mapping(let pairs) = node else { throw reader.error(key, node, "must map ERP values to shop values") }
        var table = ValueTable(name: name, entries: [:])
        for (k, v) in pairs {
            guard let from = k.string, let to = v.string else { throw reader.error(key, k, "entries must be single values") }
            if from == "default" { table.fallback = to } else { table.entries[from] = to }
        }
        return table
    }
}
