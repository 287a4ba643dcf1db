import Foundation

/// The Admin GraphQL operations the Shopify connector sends. Each lives in `GraphQL/FILE.graphql`
/// (validated against Shopify's real 2026-07 schema by the tests) and is read from the bundle;
/// operations that share fragments share a file and are sent with their operation name.
public enum ShopifyDocument: String, Sendable, CaseIterable {
    case locations = "Locations"
    case variantsBySKU = "VariantsBySKU"
    case inventorySetQuantities = "InventorySetQuantities"
    case productSet = "ProductSet"
    case stagedUploadsCreate = "StagedUploadsCreate"
    case bulkOperationRunMutation = "BulkOperationRunMutation"
    case bulkOperation = "BulkOperation"
    case ordersUpdated = "OrdersUpdated"
    case orderByID = "OrderByID"
    case orderLines = "OrderLines"
    case orderRefunds = "OrderRefunds"
    case ordersCount = "OrdersCount"
    case orderForShipment = "OrderForShipment"
    case fulfillmentCreate = "FulfillmentCreate"
    case customersUpdated = "CustomersUpdated"
    case customerByID = "CustomerByID"
    case bulkOperationRunQuery = "BulkOperationRunQuery"
    /// Not sent on its own: the text of a bulk query (`__SEARCH__` filled in).
    case ordersBulk = "OrdersBulk"

    /// The file the operation is in (without `.graphql`).
    public var file: String {
        switch self {
        case .ordersUpdated, .orderByID, .orderLines, .orderRefunds: "Orders"
        case .customersUpdated, .customerByID: "Customers"
        case .orderForShipment, .fulfillmentCreate: "Fulfillments"
        default: rawValue
        }
    }

    /// The name to send with the document when its file holds several operations.
    public var operationName: String? { file == rawValue ? nil : rawValue }

    /// The document's text, as sent.
    public var text: String {
        get throws {
            guard let url = Bundle.module.url(forResource: file, withExtension: "graphql", subdirectory: "GraphQL") else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "GraphQL/\(file).graphql"])
            }
            return try String(contentsOf: url, encoding: .utf8)
        }
    }
}
