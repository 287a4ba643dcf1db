import Commerce
import Foundation
import Ledger
import Mapping
import Shops

/// Sends one file's plan to one shop and records in the ledger what the shop accepted, so the
/// next file (or a retry of this one) sends only what is still different. Products go before
/// stock; SKUs are resolved from the ledger first and from the shop in bulk for the rest.
struct ShopPusher {
    let shop: any Shop
    let config: ShopConfig
    let ledger: Ledger
    let spec: MappingSpec
    let fileID: Int64
    /// The file's checksum (prefix): the idempotency keys derive from it.
    let reference: String
    /// `unknown_skus: skip`: stock for SKUs the shop lacks is counted, not an error.
    var skipUnknownSKUs = false
    /// How long "the shop has no such SKU" is believed before asking again.
    static let unknownSKUTimeToLive: TimeInterval = 3600

    /// The report, and the keys (`kind:key`) of the objects the shop accepted. A shop that fails
    /// as a whole ends up in the report; a ledger that cannot record is thrown (the file stays
    /// unfinished and is taken again, and the shop's idempotency covers what it already did).
    func push(_ plan: Plan) async throws -> (report: PushReport, applied: Set<String>) {
        var report = PushReport(shop: config.name)
        var applied: Set<String> = []
        report.unchanged = plan.unchanged
        let work = plan.items.filter { $0.action != .unchanged }
        guard !work.isEmpty else { return (report, []) }
        guard config.writesEnabled else {
            report.writesBlocked = true
            report.notSent = work.count
            return (report, [])
        }
        let before = await shop.statistics()
        do {
            var products: [(PlanItem, Product)] = []
            var stock: [(PlanItem, StockLevel)] = []
            for item in work {
                switch item.subject {
                case .product(let product): products.append((item, product))
                case .stock(let level): stock.append((item, level))
                }
            }
            if !products.isEmpty { try await pushProducts(products, into: &report, applied: &applied) }
            if !stock.isEmpty { try await pushStock(stock, into: &report, applied: &applied) }
        } catch let error as ShopError {
            report.failure = error.description
            report.notSent = work.count - report.created - report.updated - report.deactivated - report.refused - report.skipped
        }
        report.statistics = await shop.statistics().since(before)
        return (report, applied)
    }

    // MARK: Products

    private func pushProducts(_ work: [(PlanItem, Product)], into report: inout PushReport, applied: inout Set<String>) async throws {
        let createOnly = spec.createOnlyFields
        var products: [Product] = []
        var contents: [String] = []
        let items = work.map(\.0)
        for (item, planned) in work {
            var product = planned
            switch item.action {
            case .deactivate:
                let target: ProductStatus = spec.missing == .draft ? .draft : .archived
                product.status = .set(target)
                contents.append(try Self.canonical(product))
                // Only the status changes: no options or variants are sent.
                products.append(Product(handle: product.handle, status: .set(target)))
                continue
            case .update:
                contents.append(item.content)
                var update = Self.withoutCreateOnly(product, createOnly)
                // productSet replaces the file list: images go again only when they changed, so
                // a price change does not make the shop fetch every image anew.
                if !item.changes.contains(where: { $0.field == "images" }) { update.imageURLs = .keep }
                products.append(update)
            default:
                contents.append(item.content)
                products.append(product)
            }
        }
        report.bulkImport = products.count > config.bulkThreshold
        let outcomes = await shop.setProducts(products, reference: reference)
        var states: [RecordState] = []
        let now = Date()
        for (index, (item, outcome)) in zip(items, outcomes.items).enumerated() {
            switch outcome {
            case nil:
                continue
            case .applied(let ids):
                applied.insert("product:" + item.key)
                switch item.action {
                case .create: report.created += 1
                case .deactivate: report.deactivated += 1
                default: report.updated += 1
                }
                states.append(RecordState(
                    shop: config.name, kind: "product", key: item.key, contentHash: Planner.hash(contents[index]), content: contents[index],
                    remoteIDs: ids, pushedAt: now, fileID: fileID))
                for (name, id) in ids where name.hasPrefix("item:") {
                    let sku = String(name.dropFirst(5))
                    states.append(RecordState(
                        shop: config.name, kind: "sku", key: sku, contentHash: "", content: "",
                        remoteIDs: ["inventory_item": id, "variant": ids["variant:" + sku] ?? "", "product": ids["product"] ?? ""],
                        pushedAt: now, fileID: fileID))
                }
            case .refused(let error):
                report.refused += 1
                report.errors.append(.init(shop: config.name, kind: item.kind, key: item.key, rows: item.rows, refusal: .shop(error.code), field: error.field, message: error.message))
            }
        }
        // What went through is recorded even when the shop failed on the way.
        try ledger.recordPushed(states)
        if let failure = outcomes.failure { throw failure }
    }

    /// An update leaves out the fields marked `on: create` (the shop's text survives).
    static func withoutCreateOnly(_ product: Product, _ createOnly: Set<String>) -> Product {
        var product = product
        if createOnly.contains("product.title") { product.title = .keep }
        if createOnly.contains("product.description_html") { product.descriptionHTML = .keep }
        if createOnly.contains("product.vendor") { product.vendor = .keep }
        if createOnly.contains("product.product_type") { product.productType = .keep }
        if createOnly.contains("product.tags") { product.tags = .keep }
        if createOnly.contains("product.status") { product.status = .keep }
        if createOnly.contains("product.seo_title") { product.seoTitle = .keep }
        if createOnly.contains("product.seo_description") { product.seoDescription = .keep }
        if createOnly.contains("product.images") { product.imageURLs = .keep }
        if createOnly.contains("product.collections") { product.collections = .keep }
        for index in product.variants.indices {
            if createOnly.contains("variant.barcode") { product.variants[index].barcode = .keep }
            if createOnly.contains("variant.price") { product.variants[index].price = .keep }
            if createOnly.contains("variant.compare_at_price") { product.variants[index].compareAtPrice = .keep }
            if createOnly.contains("variant.weight") { product.variants[index].weight = .keep }
            if createOnly.contains("variant.taxable") { product.variants[index].taxable = .keep }
            if createOnly.contains("variant.inventory_policy") { product.variants[index].inventoryPolicy = .keep }
        }
        return product
    }

    static func canonical(_ product: Product) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(product), as: UTF8.self)
    }

    // MARK: Stock

    private func pushStock(_ work: [(PlanItem, StockLevel)], into report: inout PushReport, applied: inout Set<String>) async throws {
        let locations = try await shop.locations()
        let items = work.map(\.0)
        let parsed = work.map(\.1)
        let inventoryItems = try await resolve(Array(Set(parsed.map(\.sku))))
        var changes: [StockChange] = []
        var sent: [Int] = []
        for (index, entry) in parsed.enumerated() {
            let item = items[index]
            guard let inventoryItem = inventoryItems[entry.sku] else {
                if skipUnknownSKUs {
                    report.skipped += 1
                    continue
                }
                report.refused += 1
                report.errors.append(.init(
                    shop: config.name, kind: "stock", key: item.key, rows: item.rows, refusal: .unknownSKU, field: "sku",
                    message: "the shop has no variant with SKU \(entry.sku)"))
                continue
            }
            guard let location = locations[entry.location] else {
                report.refused += 1
                report.errors.append(.init(
                    shop: config.name, kind: "stock", key: item.key, rows: item.rows, refusal: .unknownLocation, field: "location",
                    message: "the shop has no active location named \"\(entry.location)\" (it has: \(locations.keys.sorted().joined(separator: ", ")))"))
                continue
            }
            changes.append(StockChange(sku: entry.sku, inventoryItemID: inventoryItem, locationID: location, quantity: entry.quantity))
            sent.append(index)
        }
        guard !changes.isEmpty else { return }
        // One batch at a time, each recorded at once: a crash loses nothing that was applied,
        // and the ledger writes happen while the rate limit would make us wait anyway.
        var first = 0
        var batch = 0
        while first < changes.count {
            let last = min(first + shop.stockBatchSize, changes.count)
            batch += 1
            let outcomes = await shop.setStock(Array(changes[first..<last]), reference: reference, firstBatch: batch)
            var states: [RecordState] = []
            let now = Date()
            for (offset, outcome) in outcomes.items.enumerated() {
                let change = changes[first + offset]
                let item = items[sent[first + offset]]
                switch outcome {
                case nil:
                    continue
                case .applied:
                    applied.insert("stock:" + item.key)
                    if item.action == .create { report.created += 1 } else { report.updated += 1 }
                    states.append(RecordState(
                        shop: config.name, kind: "stock", key: item.key, contentHash: Planner.hash(item.content), content: item.content,
                        remoteIDs: ["inventory_item": change.inventoryItemID, "location": change.locationID], pushedAt: now, fileID: fileID))
                case .refused(let error):
                    report.refused += 1
                    report.errors.append(.init(
                        shop: config.name, kind: "stock", key: item.key, rows: item.rows, refusal: .shop(error.code), field: error.field, message: error.message))
                }
            }
            try ledger.recordPushed(states)
            CrashPoint.pushedBatch.reach()
            if let failure = outcomes.failure { throw failure }
            first = last
        }
    }

    /// SKU → inventory item id: from the ledger (ids recorded when Hafen created the product or
    /// looked the SKU up before), the rest from the shop in bulk. Under `unknown_skus: skip`,
    /// SKUs the shop lacks are believed missing for an hour, so frequent stock files do not look
    /// them up again and again; when they are reported as errors, they are always asked again
    /// (a product created in the shop meanwhile must not be reported missing).
    private func resolve(_ skus: [String]) async throws -> [String: String] {
        var found: [String: String] = [:]
        var lookup: [String] = []
        let recent = Date().addingTimeInterval(-Self.unknownSKUTimeToLive)
        let states = try ledger.recordStates(shop: config.name, kind: "sku", keys: skus)
        for sku in skus {
            if let id = states[sku]?.remoteIDs["inventory_item"] {
                found[sku] = id
            } else if skipUnknownSKUs, let state = states[sku], state.pushedAt > recent {
                continue  // known to be missing, recently
            } else {
                lookup.append(sku)
            }
        }
        guard !lookup.isEmpty else { return found }
        let remote = try await shop.variants(skus: lookup)
        let now = Date()
        try ledger.recordPushed(lookup.map { sku in
            let ids = remote[sku].map { ["inventory_item": $0.inventoryItemID, "variant": $0.variantID, "product": $0.productID] } ?? [:]
            return RecordState(shop: config.name, kind: "sku", key: sku, contentHash: "", content: "", remoteIDs: ids, pushedAt: now, fileID: fileID)
        })
        for (sku, variant) in remote { found[sku] = variant.inventoryItemID }
        return found
    }
}
