/// Whether a product is sold (`active`), prepared (`draft`) or retired (`archived`), as Shopify's `ProductStatus`.
public enum ProductStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case active, draft, archived
}
