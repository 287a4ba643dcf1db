public import Foundation

/// One sellable article: a SKU with its price, barcode, weight and option values (size, colour).
public struct Variant: Sendable, Hashable, Codable {
    /// The key that ties an ERP article to a shop variant.
    public var sku: String
    public var barcode: Patch<String>
    public var price: Patch<Decimal>
    public var compareAtPrice: Patch<Decimal>
    public var weight: Patch<Weight>
    public var taxable: Patch<Bool>
    public var inventoryPolicy: Patch<InventoryPolicy>
    /// Option values in the order of the product's option names (`["weiß", "XL"]`).
    public var optionValues: [String]

    public init(
        sku: String, barcode: Patch<String> = .keep, price: Patch<Decimal> = .keep, compareAtPrice: Patch<Decimal> = .keep,
        weight: Patch<Weight> = .keep, taxable: Patch<Bool> = .keep, inventoryPolicy: Patch<InventoryPolicy> = .keep,
        optionValues: [String] = []
    ) {
        self.sku = sku
        self.barcode = barcode
        self.price = price
        self.compareAtPrice = compareAtPrice
        self.weight = weight
        self.taxable = taxable
        self.inventoryPolicy = inventoryPolicy
        self.optionValues = optionValues
    }

    enum CodingKeys: String, CodingKey {
        case sku, barcode, price, compareAtPrice = "compare_at_price", weight, taxable
        case inventoryPolicy = "inventory_policy", optionValues = "option_values"
    }
}
