/// What the simulated shop keeps, in the shape Shopify's objects have. Numbers are the numeric
/// part of `gid://shopify/<Type>/<n>` ids.
struct LocationRecord: Sendable {
    var id: Int
    var name: String
    var isActive: Bool
}

struct OptionRecord: Sendable {
    var id: Int
    var name: String
    var values: [String]
}

struct ProductRecord: Sendable {
    var id: Int
    var handle: String
    var title: String
    var descriptionHtml = ""
    var vendor = ""
    var productType = ""
    var tags: [String] = []
    var status = "ACTIVE"
    var seoTitle: String?
    var seoDescription: String?
    var options: [OptionRecord] = []
    var variantIDs: [Int] = []
    /// The `originalSource` of each image file, in order.
    var imageSources: [String] = []
    /// How often the file list was set (each time Shopify would fetch the images again).
    var imageSets = 0
}

struct VariantRecord: Sendable {
    var id: Int
    var productID: Int
    var sku: String?
    var barcode: String?
    var price = "0.00"
    var compareAtPrice: String?
    var taxable = true
    var inventoryPolicy = "DENY"
    /// Option name and value, in the product's option order.
    var selectedOptions: [(name: String, value: String)] = []
    var inventoryItemID: Int
    var weight: (value: Double, unit: String)?
    var tracked = true
}

/// Quantities of one inventory item at one location. `committed` (ordered, not shipped) stays
/// as it is, so `on_hand = available + committed`.
struct LevelRecord: Sendable {
    var available: Int
    var committed: Int = 0
    var onHand: Int { available + committed }
}

/// An upload target handed out by `stagedUploadsCreate`, and what was put there.
struct StagedUpload: Sendable {
    var path: String
    var body: [UInt8]?
}

struct BulkOperationRecord: Sendable {
    var id: Int
    /// `MUTATION` or `QUERY`.
    var type = "MUTATION"
    var status: String
    var createdAt: String
    var completedAt: String?
    var objectCount: Int
    var errorCode: String?
    var resultPath: String?
}

/// The `gid://shopify/<Type>/<n>` form of ids.
enum GID {
    static func make(_ type: String, _ id: Int) -> String { "gid://shopify/\(type)/\(id)" }

    /// The number of a gid of the given type, or nil when it is not one.
    static func number(_ gid: String, type: String) -> Int? {
        let prefix = "gid://shopify/\(type)/"
        guard gid.hasPrefix(prefix) else { return nil }
        return Int(gid.dropFirst(prefix.count))
    }
}
