import Foundation

/// The Admin GraphQL documents the Shopify connector sends. Each lives in `GraphQL/NAME.graphql`
/// (validated against Shopify's real 2026-07 schema by the tests) and is read from the bundle.
public enum ShopifyDocument: String, Sendable, CaseIterable {
    case locations = "Locations"
    case variantsBySKU = "VariantsBySKU"
    case inventorySetQuantities = "InventorySetQuantities"
    case productSet = "ProductSet"
    case stagedUploadsCreate = "StagedUploadsCreate"
    case bulkOperationRunMutation = "BulkOperationRunMutation"
    case bulkOperation = "BulkOperation"

    /// The document's text, as sent.
    public var text: String {
        get throws {
            guard let url = Bundle.module.url(forResource: rawValue, withExtension: "graphql", subdirectory: "GraphQL") else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "GraphQL/\(rawValue).graphql"])
            }
            return try String(contentsOf: url, encoding: .utf8)
        }
    }
}
