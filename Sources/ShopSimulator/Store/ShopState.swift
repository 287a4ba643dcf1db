import Foundation

/// Everything the simulated shop holds: locations, products with their options and variants,
/// inventory items and their levels per location, idempotency keys, staged uploads and bulk
/// operations. One actor, so every mutation is applied whole, in the order calls arrive.
actor ShopState {
    var locations: [LocationRecord] = []
    var products: [Int: ProductRecord] = [:]
    var productByHandle: [String: Int] = [:]
    var variants: [Int: VariantRecord] = [:]
    /// Inventory item → its variant.
    var variantByItem: [Int: Int] = [:]
    /// Inventory item → location → quantities.
    var levels: [Int: [Int: LevelRecord]] = [:]
    /// `@idempotent` keys: the variables they were first used with and the answer given then.
    var idempotency: [String: (fingerprint: String, payload: [String: any Sendable])] = [:]
    var stagedUploads: [String: StagedUpload] = [:]
    var bulkOperations: [Int: BulkOperationRecord] = [:]
    var bulkResults: [String: [UInt8]] = [:]
    var customers: [Int: CustomerRecord] = [:]
    var orders: [Int: OrderRecord] = [:]
    /// The last order number given (`#1001` is the first).
    var orderNumber = 1000
    /// Inventory mutations applied (a replay of a known idempotency key does not count).
    var adjustmentGroups = 0
    private var lastID = 1000
    /// Locations are numbered from 1 in the order given; everything else from 1001.
    init(locationNames: [String]) {
        locations = locationNames.enumerated().map { LocationRecord(id: $0.offset + 1, name: $0.element, isActive: true) }
    }

    func nextID() -> Int {
        lastID += 1
        return lastID
    }

    /// Forgets all products, stock, keys and operations; the locations stay as configured.
    func reset() {
        products = [:]
        productByHandle = [:]
        variants = [:]
        variantByItem = [:]
        levels = [:]
        idempotency = [:]
        stagedUploads = [:]
        bulkOperations = [:]
        bulkResults = [:]
        adjustmentGroups = 0
        customers = [:]
        orders = [:]
        orderNumber = 1000
    }

    func location(gid: String) -> LocationRecord? {
        guard let id = GID.number(gid, type: "Location") else { return nil }
        return locations.first { $0.id == id }
    }

    /// Variants in id order, all or those whose SKU is in the set.
    func variants(skus: Set<String>?) -> [VariantRecord] {
        variants.values.filter { variant in skus.map { set in variant.sku.map(set.contains) ?? false } ?? true }.sorted { $0.id < $1.id }
    }

    /// Counts for the admin endpoint.
    func summary() -> [String: Int] {
        ["locations": locations.count, "products": products.count, "variants": variants.count,
         "inventory_levels": levels.values.reduce(0) { $0 + $1.count }, "bulk_operations": bulkOperations.count,
         "customers": customers.count, "orders": orders.count,
         "adjustment_groups": adjustmentGroups]
    }

    /// Every level with its SKU and location name, for tests and the demo.
    func inventoryDump() -> [[String: any Sendable]] {
        var rows: [[String: any Sendable]] = []
        for (item, byLocation) in levels.sorted(by: { $0.key < $1.key }) {
            let sku = variantByItem[item].flatMap { variants[$0]?.sku } ?? ""
            for (locationID, level) in byLocation.sorted(by: { $0.key < $1.key }) {
                let name = locations.first { $0.id == locationID }?.name ?? ""
                rows.append(["sku": sku, "location": name, "available": level.available, "on_hand": level.onHand])
            }
        }
        return rows
    }

    /// Every product with its variants, for tests and the demo.
    func productDump() -> [[String: any Sendable]] {
        products.values.sorted { $0.id < $1.id }.map { product in
            var out = productFields(product)
            out["images"] = product.imageSources
            out["image_sets"] = product.imageSets
            out["variants"] = product.variantIDs.compactMap { variants[$0] }.map { variantFields($0) }
            return out
        }
    }
}
