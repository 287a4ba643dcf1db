/// Whether a variant can be sold when out of stock, as Shopify's `ProductVariantInventoryPolicy`.
public enum InventoryPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Stop selling at zero.
    case deny = "DENY"
    /// Keep selling (backorders).
    case `continue` = "CONTINUE"
}
