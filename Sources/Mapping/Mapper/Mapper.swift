import Commerce
public import Formats
import Foundation

/// Turns validated records into shop objects by a `MappingSpec`: evaluates each field's
/// expression, applies value tables, converts to the field's type, applies the blank policy,
/// and groups records into products with variants. Problems become positioned diagnostics
/// (`HM3xx`) and the record is left out; the others go on.
public struct Mapper {
    public let spec: MappingSpec
    let file: String
    /// 1-based column of each header name, for positions.
    let columnNumbers: [String: Int]
    private var groups: [String: Int] = [:]
    /// Shipments by key (order and tracking number), to their place in the result.
    private var shipmentIndex: [String: Int] = [:]
    private var result = MappingResult()
    /// Per product: its variants' rows, lines and option values, checked when the file ends.
    private var optionRows: [[(row: Int, line: Int, values: [String])]] = []

    /// - Parameter columnNumbers: the 1-based file column of each name, for positions.
    public init(spec: MappingSpec, file: String, columnNumbers: [String: Int]) {
        self.spec = spec
        self.file = file
        self.columnNumbers = columnNumbers
    }

    /// Takes the column numbers from a header row.
    public init(spec: MappingSpec, file: String, header: [String]) {
        var numbers: [String: Int] = [:]
        for (i, name) in header.enumerated() where numbers[name] == nil { numbers[name] = i + 1 }
        self.init(spec: spec, file: file, columnNumbers: numbers)
    }

    /// Maps one record. Returns false when it could not be mapped (its diagnostics are in `log`).
    @discardableResult
    public mutating func add(_ record: SourceRecord, into log: inout DiagnosticLog) -> Bool {
        var context = RecordContext(record: record, file: file, columnNumbers: columnNumbers, blank: spec.blank)
        if let filter = spec.filter {
            do {
                guard try Expression.truth(filter.evaluate { record[$0] }) else {
                    result.rowsFiltered += 1
                    return true
                }
            } catch {
                context.report(.expressionFailed, field: "filter", map: nil, message: "the filter cannot be computed: \(error.message)")
                log.append(contentsOf: context.diagnostics)
                result.rowsFailed += 1
                return false
            }
        }
        switch spec.target {
        case .stock: mapStock(&context)
        case .products: mapProduct(&context)
        case .shipments: mapShipment(&context)
        }
        log.append(contentsOf: context.diagnostics)
        if context.diagnostics.isEmpty {
            result.rowsMapped += 1
            return true
        }
        result.rowsFailed += 1
        return false
    }

    /// Ends the file: checks each product's variants against each other and returns the objects.
    /// As in Shopify, every variant needs a value for each of the product's options and its own
    /// combination of them: a variant missing a value, or repeating an earlier variant's values,
    /// is left out with a diagnostic; the product keeps its other variants.
    public mutating func finish(into log: inout DiagnosticLog) -> MappingResult {
        var kept: [MappedProduct] = []
        for (index, var mapped) in result.products.enumerated() {
            let rows = optionRows[index]
            // Options no variant has a value for are dropped; the rest need a value on every variant.
            let used = spec.options.indices.filter { o in rows.contains { !$0.values[o].isEmpty } }
            var seen: [[String]: Int] = [:]
            var keep: [Int] = []
            for (v, entry) in rows.enumerated() {
                let values = used.map { entry.values[$0] }
                let problem: String?
                if let missing = used.first(where: { entry.values[$0].isEmpty }) {
                    problem = "option \"\(spec.options[missing].name)\" has no value, but other variants of \"\(mapped.product.handle)\" have one"
                } else if let first = seen[values] {
                    problem = "variant with options \(values.joined(separator: " / ")) is already in row \(first) of \"\(mapped.product.handle)\""
                } else {
                    seen[values] = entry.row
                    problem = nil
                }
                if let problem {
                    log.append(Diagnostic(.variantConflict, at: Position(file: file, line: entry.line, row: entry.row), field: "options",
                                          message: problem))
                    result.rowsFailed += 1
                    result.rowsMapped -= 1
                    result.rowsFailedAtEnd.append(entry.row)
                } else {
                    keep.append(v)
                }
            }
            guard !keep.isEmpty else { continue }
            mapped.product.optionNames = used.map { spec.options[$0].name }
            mapped.product.variants = keep.map { v in
                var variant = mapped.product.variants[v]
                variant.optionValues = used.map { rows[v].values[$0] }
                return variant
            }
            mapped.rows = keep.map { rows[$0].row }
            kept.append(mapped)
        }
        result.products = kept
        result.rowsFailedAtEnd.sort()
        return result
    }

    private mutating func mapStock(_ context: inout RecordContext) {
        guard let stock = spec.stock else { return }
        let sku = context.key(stock.sku, field: "stock.sku")
        let location = context.key(stock.location, field: "stock.location")
        let onHand = context.integer(stock.onHand, field: "stock.on_hand")
        var quantity = onHand
        if stock.quantity == .available, let reservedMap = stock.reserved, let hand = onHand {
            quantity = context.integer(reservedMap, field: "stock.reserved").map { hand - $0 } ?? (context.failed ? nil : hand)
        }
        if onHand == nil && !context.failed {
            context.report(.missingShopKey, field: "stock.on_hand", map: stock.onHand, message: "the stock quantity is empty")
        }
        guard let sku, let location, let quantity, !context.failed else { return }
        result.stock.append(MappedStock(level: StockLevel(sku: sku, location: location, quantity: quantity), row: context.record.row))
    }

    /// A shipment row: joins the shipment of its order and tracking number, or starts it.
    private mutating func mapShipment(_ context: inout RecordContext) {
        guard let spec = spec.shipment else { return }
        guard var order = context.key(spec.order, field: "shipment.order") else { return }
        if !order.hasPrefix("#") { order = "#" + order }
        let tracking = spec.trackingNumber.flatMap { context.text($0, field: "shipment.tracking_number").value }
        let carrier = spec.carrier.flatMap { context.text($0, field: "shipment.carrier").value }
        let url = spec.trackingURL.flatMap { context.text($0, field: "shipment.tracking_url").value }
        let notify = spec.notify.flatMap { context.bool($0, field: "shipment.notify").value } ?? false
        var line: Shipment.Line?
        if let skuMap = spec.sku, let sku = context.text(skuMap, field: "shipment.sku").value, !sku.isEmpty {
            let quantity = spec.quantity.flatMap { context.integer($0, field: "shipment.quantity") }
            if let quantity, quantity <= 0, !context.failed {
                context.report(.mappedTypeMismatch, field: "shipment.quantity", map: spec.quantity, value: String(quantity), message: "a shipped quantity must be 1 or more")
            } else if quantity == nil, !context.failed {
                context.report(.missingShopKey, field: "shipment.quantity", map: spec.quantity, message: "the row names article \(sku) but not how many were shipped")
            }
            if let quantity { line = Shipment.Line(sku: sku, quantity: quantity, row: context.record.row, line: context.record.line) }
        }
        guard !context.failed else { return }
        let key = order + "|" + (tracking ?? "")
        if let index = shipmentIndex[key] {
            var mapped = result.shipments[index]
            if mapped.shipment.lines.isEmpty != (line == nil) {
                context.report(.shipmentConflict, field: "shipment.sku", map: spec.sku, value: order,
                               message: "shipment \(tracking ?? "without tracking number") of order \(order) has rows with and without articles (row \(mapped.rows[0]))")
                return
            }
            if let line { mapped.shipment.lines.append(line) }
            mapped.rows.append(context.record.row)
            result.shipments[index] = mapped
        } else {
            shipmentIndex[key] = result.shipments.count
            let shipment = Shipment(order: order, trackingNumber: tracking, carrier: carrier, trackingURL: url, notifyCustomer: notify, lines: line.map { [$0] } ?? [])
            result.shipments.append(MappedShipment(shipment: shipment, rows: [context.record.row], line: context.record.line))
        }
    }

    private mutating func mapProduct(_ context: inout RecordContext) {
        guard let skuMap = spec.variant[.sku] else { return }
        guard let sku = context.key(skuMap, field: "variant.sku") else { return }
        var variant = Variant(sku: sku)
        variant.barcode = context.text(spec.variant[.barcode], field: "variant.barcode")
        variant.price = context.decimal(spec.variant[.price], field: "variant.price")
        variant.compareAtPrice = context.decimal(spec.variant[.compareAtPrice], field: "variant.compare_at_price")
        variant.weight = context.weight(spec.variant[.weight], field: "variant.weight")
        variant.taxable = context.bool(spec.variant[.taxable], field: "variant.taxable")
        variant.inventoryPolicy = context.choice(spec.variant[.inventoryPolicy], field: "variant.inventory_policy") { (text: String) -> InventoryPolicy? in
            InventoryPolicy(rawValue: text.uppercased())
        }
        let optionValues = spec.options.map { option in
            context.value(option.map, field: "option \(option.name)").map { $0.isBlank ? "" : $0.text.trimmingCharacters(in: .whitespaces) } ?? ""
        }
        var groupKey: String?
        if let groupBy = spec.groupBy {
            do {
                let value = try groupBy.evaluate { context.record[$0] }
                if !value.isBlank { groupKey = value.text }
            } catch {
                context.report(.expressionFailed, field: "group_by", map: nil, message: error.message)
            }
        }
        let handleMap = spec.product[.handle]
            ?? FieldMap(source: "slug(group or SKU)", expression: .call(.slug, [.literal(.text(groupKey ?? sku))]))
        guard let handle = context.key(handleMap, field: "product.handle"), !context.failed else { return }

        if let groupKey, let index = groups[groupKey] {
            result.products[index].product.variants.append(variant)
            optionRows[index].append((context.record.row, context.record.line, optionValues))
            return
        }
        var product = Product(handle: handle)
        product.title = context.text(spec.product[.title], field: "product.title")
        product.descriptionHTML = context.text(spec.product[.descriptionHTML], field: "product.description_html")
        product.vendor = context.text(spec.product[.vendor], field: "product.vendor")
        product.productType = context.text(spec.product[.productType], field: "product.product_type")
        product.tags = context.list(spec.product[.tags], field: "product.tags")
        product.status = context.choice(spec.product[.status], field: "product.status") { (text: String) -> ProductStatus? in
            ProductStatus(rawValue: text.lowercased())
        }
        product.seoTitle = context.text(spec.product[.seoTitle], field: "product.seo_title")
        product.seoDescription = context.text(spec.product[.seoDescription], field: "product.seo_description")
        product.imageURLs = context.list(spec.product[.images], field: "product.images")
        product.collections = context.list(spec.product[.collections], field: "product.collections")
        guard !context.failed else { return }
        product.variants = [variant]
        if let groupKey { groups[groupKey] = result.products.count }
        result.products.append(MappedProduct(product: product, rows: []))  // rows are set when the file ends
        optionRows.append([(context.record.row, context.record.line, optionValues)])
    }
}
