import Foundation
import Formats
import Mapping
import Transport
import XML
import Yams

extension ConfigLoader {
    /// `exports: {orders: {kind: orders, shop: main, target: outbox/orders, columns: {…}, …}}`.
    static func exports(_ node: Node, shops: [ShopConfig], partners: [PartnerConfig], reader: NodeReader, root: String) throws(ConfigError) -> [ExportConfig] {
        guard case .mapping(let pairs) = node else { throw reader.error("exports", node, "must map export names to their settings") }
        var exports: [ExportConfig] = []
        for (nameNode, exportNode) in pairs {
            guard let name = nameNode.string, name.range(of: "^[A-Za-z0-9_-]+$", options: .regularExpression) != nil else {
                throw reader.error("exports", nameNode, "export names may use letters, digits, '-' and '_'")
            }
            exports.append(try export(name, exportNode, shops: shops, partners: partners, reader: reader, root: root))
        }
        return exports
    }

    private static let exportKeys = [
        "kind", "shop", "target", "format", "dialect", "protect_formulas", "decimal_separator", "date_format", "rows", "shipping_as_line", "file",
        "name", "overwrite", "columns", "tables", "filter", "on_change", "on_cancel", "poll", "overlap", "start", "ack", "overdue", "debtors", "manifest",
        "xml", "delivery",
    ]

    private static func export(
        _ name: String, _ node: Node, shops: [ShopConfig], partners: [PartnerConfig], reader: NodeReader, root: String
    ) throws(ConfigError) -> ExportConfig {
        let at = "exports.\(name)"
        let map = try reader.mapping(node, key: at, known: exportKeys)
        func choice<T: RawRepresentable<String>>(_ key: String, default value: T, _ options: String) throws(ConfigError) -> T {
            guard let node = map[key] else { return value }
            guard let text = node.string, let parsed = T(rawValue: text) else { throw reader.error("\(at).\(key)", node, "must be \(options)") }
            return parsed
        }
        let kind: ExportConfig.Kind = try choice("kind", default: .orders, "orders, refunds or customers")
        let shop: String
        if let shopNode = map["shop"] {
            guard let text = shopNode.string, shops.contains(where: { $0.name == text }) else {
                let hint = shopNode.string.flatMap { reader.closest(to: $0, in: shops.map(\.name)) }.map { "; did you mean \($0)?" } ?? ""
                throw reader.error("\(at).shop", shopNode, "no such shop under shops:\(hint)")
            }
            shop = text
        } else {
            guard shops.count == 1 else { throw reader.error("\(at).shop", node, "missing: name the shop to collect from") }
            shop = shops[0].name
        }
        var target = try reader.string(map["target"], key: "\(at).target") ?? "outbox/\(name)"
        let remote = try remoteLocation(target, key: "\(at).target", node: map["target"] ?? node, partners: partners, reader: reader)
        if let remote {
            guard remote.glob == "*" else { throw reader.error("\(at).target", map["target"]!, "must be a folder, e.g. sftp://erp-partner/in/orders") }
            target = "outbox/\(name)"
            if let ackNode = map["ack"] {
                throw reader.error("\(at).ack", ackNode, "acknowledgement files on a partner's server are not read; a remote file counts as delivered once it is in place")
            }
        }
        let (remoteSidecar, remoteMarker) = try delivery(map["delivery"], at: "\(at).delivery", remote: remote, reader: reader)
        let format = try reader.string(map["format"], key: "\(at).format") ?? "csv"
        guard format == "csv" || format == "xml" else { throw reader.error("\(at).format", map["format"]!, "must be csv or xml") }
        if format == "csv", let node = map["xml"] { throw reader.error("\(at).xml", node, "belongs to an export with format: xml") }
        var dialect = try Self.dialect(map["dialect"], at: "\(at).dialect", reader: reader)
        // German ERPs read `;` with decimal commas; `auto` means nothing when writing.
        let delimiterGiven: Bool
        if case .mapping(let pairs)? = map["dialect"] { delimiterGiven = pairs["delimiter"] != nil } else { delimiterGiven = false }
        if !delimiterGiven || dialect.delimiter == nil { dialect.delimiter = UInt8(ascii: ";") }
        var protect = true
        if let node = map["protect_formulas"] {
            guard let flag = node.bool else { throw reader.error("\(at).protect_formulas", node, "must be true or false") }
            protect = flag
        }
        let separatorText = try reader.string(map["decimal_separator"], key: "\(at).decimal_separator") ?? "."
        guard separatorText == "." || separatorText == "," else { throw reader.error("\(at).decimal_separator", map["decimal_separator"]!, "must be . or ,") }
        let dateFormat = try reader.string(map["date_format"], key: "\(at).date_format") ?? "yyyy-MM-dd"
        guard dateFormat.contains("yy") else { throw reader.error("\(at).date_format", map["date_format"]!, "must be a date pattern such as dd.MM.yyyy") }
        // A customer is one row; orders and refunds have a row per line unless told otherwise.
        if kind == .customers, let node = map["rows"] ?? map["shipping_as_line"] {
            throw reader.error("\(at)", node, "a customer export writes a row per customer: rows and shipping_as_line do not apply")
        }
        let rows: ExportConfig.Rows = kind == .customers ? .order : try choice("rows", default: .lines, "lines (a row per order line) or order (a row per order)")
        let file: ExportConfig.FileMode = try choice("file", default: .perOrder, "per-order or batch")
        let perOrderName = switch kind {
        case .orders: "\(name)_{order.number}_{kind}.csv"
        case .refunds: "\(name)_{refund.number}.csv"
        case .customers: "\(name)_{customer.id}_{kind}.csv"
        }
        var pattern = try reader.string(map["name"], key: "\(at).name") ?? (file == .perOrder ? perOrderName : "\(name)_{date:yyyyMMdd-HHmmss}.csv")
        if format == "xml", map["name"] == nil { pattern = String(pattern.dropLast(".csv".count)) + ".xml" }
        var overwrite = false
        if let node = map["overwrite"] {
            guard let flag = node.bool else { throw reader.error("\(at).overwrite", node, "must be true or false") }
            overwrite = flag
        }
        // A credit document has the order's fields, the refund's, and its own line fields.
        let orderNames = switch kind {
        case .orders: OrderFields.orderNames
        case .refunds: OrderFields.orderNames + OrderFields.refundNames
        case .customers: OrderFields.customerNames
        }
        let lineNames = kind == .refunds ? OrderFields.refundLineNames : OrderFields.lineNames
        let names = rows == .lines ? orderNames + lineNames : orderNames
        try checkPattern(pattern, perOrder: file == .perOrder, names: orderNames, key: "\(at).name", node: map["name"] ?? node, reader: reader)
        var parser = MappingNodeParser(reader: reader, columns: names, tables: try tables(map["tables"], at: "\(at).tables", reader: reader))
        parser.unknownName = rows == .lines || kind == .customers ? "there is no field" : "with rows: order there is no field"
        guard let columnsNode = map["columns"], case .mapping(let columnPairs) = columnsNode, !columnPairs.isEmpty else {
            throw reader.error("\(at).columns", map["columns"] ?? node, "missing: the file's columns, header: field (see docs/exports.md)")
        }
        var columns: [ExportColumn] = []
        for (headerNode, valueNode) in columnPairs {
            guard let header = headerNode.string, !header.isEmpty else { throw reader.error("\(at).columns", headerNode, "a column needs a header") }
            var decimals: Int?
            var fieldNode = valueNode
            if case .mapping(let fieldPairs) = valueNode, let decimalsNode = fieldPairs["decimals"] {
                guard let count = decimalsNode.int, (0...6).contains(count) else {
                    throw reader.error("\(at).columns.\(header).decimals", decimalsNode, "must be 0 to 6")
                }
                decimals = count
                fieldNode = .mapping(Node.Mapping(fieldPairs.filter { $0.key.string != "decimals" }, fieldPairs.tag, fieldPairs.style, fieldPairs.mark))
            }
            let field = try parser.field(fieldNode, key: "\(at).columns.\(header)")
            if decimals == nil, case .column(let source) = field.expression, field.table == nil, OrderFields.moneyNames.contains(source) { decimals = 2 }
            columns.append(ExportColumn(header: header, map: field, decimals: decimals))
        }
        var xml: XMLLayout?
        if format == "xml" {
            xml = try xmlLayout(map["xml"], columns: columns, kind: kind, rows: rows, at: "\(at).xml", node: node, reader: reader, root: root)
        }
        var shippingSKU: String?
        if let node = map["shipping_as_line"] {
            guard rows == .lines, let sku = node.string, !sku.isEmpty else {
                throw reader.error("\(at).shipping_as_line", node, "must be the SKU shipping rows carry (with rows: lines)")
            }
            shippingSKU = sku
        }
        var debtors: ValueTable?
        var defaultDebtor: String?
        if let node = map["debtors"] {
            let debtorMap = try reader.mapping(node, key: "\(at).debtors", known: ["by_email", "default"])
            if let table = debtorMap["by_email"] {
                let table = try MappingNodeParser.table(table, name: "debtors", key: "\(at).debtors.by_email", reader: reader)
                debtors = ValueTable(name: "debtors", entries: Dictionary(table.entries.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a }))
            }
            defaultDebtor = try reader.string(debtorMap["default"], key: "\(at).debtors.default")
        }
        var manifest = true
        if let node = map["manifest"] {
            guard let flag = node.bool else { throw reader.error("\(at).manifest", node, "must be true or false") }
            manifest = flag
        }
        let poll = try reader.duration(map["poll"], key: "\(at).poll") ?? .seconds(300)
        guard poll >= .seconds(1) else { throw reader.error("\(at).poll", map["poll"]!, "must be at least 1s") }
        var config = ExportConfig(
            name: name, kind: kind, shop: shop, target: target, dialect: dialect, protectFormulas: protect,
            decimalSeparator: separatorText == "," ? "," : ".", dateFormat: dateFormat, rows: rows, shippingSKU: shippingSKU, file: file,
            namePattern: pattern, overwrite: overwrite, columns: columns, filter: try filter(map["filter"], kind: kind, at: "\(at).filter", reader: reader),
            onChange: try choice("on_change", default: .review, "review (list it for an admin) or amend (write the order again as an amendment)"),
            onCancel: try choice("on_cancel", default: .cancellation, "cancellation (write a cancellation file) or review"),
            poll: poll, overlap: try reader.duration(map["overlap"], key: "\(at).overlap") ?? .seconds(600),
            start: try reader.duration(map["start"], key: "\(at).start") ?? .seconds(86400),
            ack: try reader.string(map["ack"], key: "\(at).ack"), overdue: try reader.duration(map["overdue"], key: "\(at).overdue") ?? .seconds(86400),
            manifest: manifest, debtors: debtors, defaultDebtor: defaultDebtor, xml: xml)
        config.remote = remote
        config.remoteSidecar = remoteSidecar
        config.remoteDoneMarker = remoteMarker
        return config
    }

    /// `delivery: {sidecar: true, done_marker: .ok}` of an export with an `sftp://` target.
    private static func delivery(_ node: Node?, at: String, remote: RemoteLocation?, reader: NodeReader) throws(ConfigError) -> (Bool, String?) {
        guard let node else { return (true, nil) }
        guard remote != nil else { throw reader.error(at, node, "belongs to an export whose target is sftp://partner/…") }
        let map = try reader.mapping(node, key: at, known: ["sidecar", "done_marker"])
        var sidecar = true
        if let flag = map["sidecar"] {
            guard let value = flag.bool else { throw reader.error("\(at).sidecar", flag, "must be true or false") }
            sidecar = value
        }
        var marker: String?
        if let markerNode = map["done_marker"] {
            let text = markerNode.string ?? ""
            let suffix = text.hasPrefix(".") ? text : "." + text
            guard text.count > 0, suffix.count > 1, FileNamePolicy.problem(with: Array(("x" + suffix).utf8)) == nil else {
                throw reader.error("\(at).done_marker", markerNode, "must be a suffix such as .ok or .done")
            }
            marker = suffix
        }
        return (sidecar, marker)
    }

    /// `xml: {root, record, line, lines, namespace, encoding, schema}`; every column header must
    /// be an element name (or `@attribute`).
    private static func xmlLayout(
        _ xmlNode: Node?, columns: [ExportColumn], kind: ExportConfig.Kind, rows: ExportConfig.Rows, at: String, node: Node, reader: NodeReader,
        root: String
    ) throws(ConfigError) -> XMLLayout {
        guard let xmlNode else { throw reader.error(at, node, "missing: the document's elements, at least root and record") }
        let map = try reader.mapping(xmlNode, key: at, known: ["root", "record", "line", "lines", "namespace", "encoding", "schema"])
        func name(_ key: String, default value: String? = nil) throws(ConfigError) -> String? {
            guard let text = try reader.string(map[key], key: "\(at).\(key)") ?? value else { return nil }
            guard XMLWriter.isValidName(text) else { throw reader.error("\(at).\(key)", map[key] ?? xmlNode, "\"\(text)\" is not an XML element name") }
            return text
        }
        guard let documentElement = try name("root"), let record = try name("record") else {
            throw reader.error(at, xmlNode, "missing: root (the document element) and record (the element of each \(kind == .customers ? "customer" : kind == .refunds ? "refund" : "order"))")
        }
        var lineColumns: Set<Int> = []
        for (index, column) in columns.enumerated() {
            let element = column.header.hasPrefix("@") ? String(column.header.dropFirst()) : column.header
            guard XMLWriter.isValidName(element) else {
                throw reader.error("\(at.dropLast(4)).columns.\(column.header)", node, "\"\(column.header)\" is not an XML element name (or @attribute)")
            }
            if rows == .lines, column.map.expression.columns.contains(where: { $0.hasPrefix("line.") }) { lineColumns.insert(index) }
        }
        let encoding = try reader.string(map["encoding"], key: "\(at).encoding") ?? "UTF-8"
        guard ["UTF-8", "ISO-8859-1", "ISO-8859-15", "WINDOWS-1252"].contains(encoding.uppercased()) else {
            throw reader.error("\(at).encoding", map["encoding"]!, "must be UTF-8, ISO-8859-1, ISO-8859-15 or windows-1252")
        }
        var schema: XMLSchema?
        if let path = try reader.string(map["schema"], key: "\(at).schema") {
            do {
                schema = try XMLSchema(path: path.hasPrefix("/") ? path : root + "/" + path)
            } catch {
                throw reader.error("\(at).schema", map["schema"]!, "\(error)")
            }
        }
        return XMLLayout(
            root: documentElement, record: record, lines: try name("lines"), line: try name("line", default: "Position") ?? "Position",
            namespace: try reader.string(map["namespace"], key: "\(at).namespace"), encoding: encoding, schema: schema, lineColumns: lineColumns)
    }

    /// `{order.number}` and friends must name order fields; a batch file has no single order.
    private static func checkPattern(_ pattern: String, perOrder: Bool, names: [String], key: String, node: Node, reader: NodeReader) throws(ConfigError) {
        guard !pattern.contains("/") else { throw reader.error(key, node, "a file name cannot contain /") }
        for placeholder in FileNamePattern.placeholders(in: pattern) {
            if placeholder.hasPrefix("date:") || ["kind", "flow", "seq"].contains(placeholder) { continue }
            guard names.contains(placeholder) else {
                let hint = reader.closest(to: placeholder, in: names).map { "; did you mean \($0)?" } ?? ""
                throw reader.error(key, node, "{\(placeholder)} is not a field\(hint)")
            }
            guard perOrder else { throw reader.error(key, node, "{\(placeholder)} names one order, but file: batch writes many to a file") }
        }
    }

    private static func filter(_ node: Node?, kind: ExportConfig.Kind, at: String, reader: NodeReader) throws(ConfigError) -> OrderFilter {
        var filter = OrderFilter()
        guard let node else { return filter }
        let known = kind == .customers
            ? ["shipping_country", "tags", "exclude_tags", "min_orders"]
            : ["financial_status", "fulfillment_status", "cancelled", "test", "channels", "shipping_country", "tags", "exclude_tags"]
        let map = try reader.mapping(node, key: at, known: known)
        func set(_ key: String, upper: Bool = false) throws(ConfigError) -> Set<String>? {
            guard let node = map[key] else { return nil }
            let values: [String]
            if let one = node.string { values = [one] } else { values = try reader.strings(node, key: "\(at).\(key)") }
            return Set(values.map { upper ? $0.uppercased() : $0.lowercased() })
        }
        func flag(_ key: String) throws(ConfigError) -> Bool? {
            guard let node = map[key] else { return nil }
            guard let value = node.bool else { throw reader.error("\(at).\(key)", node, "must be true or false") }
            return value
        }
        if let statuses = try set("financial_status") { filter.financialStatus = statuses }
        filter.fulfillmentStatus = try set("fulfillment_status")
        filter.cancelled = try flag("cancelled") ?? false
        filter.test = try flag("test") ?? false
        filter.channels = try set("channels")
        filter.shippingCountries = try set("shipping_country", upper: true)
        filter.tags = try set("tags")
        filter.excludeTags = try set("exclude_tags") ?? []
        if let node = map["min_orders"] {
            guard let count = node.int, count >= 0 else { throw reader.error("\(at).min_orders", node, "must be a number of orders, 0 or more") }
            filter.minOrders = count
        }
        return filter
    }
}
