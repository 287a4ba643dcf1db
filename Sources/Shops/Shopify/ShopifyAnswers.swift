/// The `data` shapes of the connector's documents (see `GraphQL/*.graphql`).
struct PageInfoAnswer: Decodable, Sendable {
    var hasNextPage: Bool
    var endCursor: String?
}

struct IDAnswer: Decodable, Sendable {
    var id: String
}

/// A page of a connection: its nodes and where the next page starts.
struct ConnectionAnswer<Node: Decodable & Sendable>: Decodable, Sendable {
    var nodes: [Node]
    var pageInfo: PageInfoAnswer
}

struct LocationsAnswer: Decodable, Sendable {
    struct Node: Decodable, Sendable {
        var id: String
        var name: String
        var isActive: Bool
    }

    var locations: ConnectionAnswer<Node>
}

struct VariantsAnswer: Decodable, Sendable {
    struct Node: Decodable, Sendable {
        var id: String
        var sku: String?
        var product: IDAnswer
        var inventoryItem: IDAnswer
    }

    var productVariants: ConnectionAnswer<Node>
}

struct SetQuantitiesAnswer: Decodable, Sendable {
    struct Payload: Decodable, Sendable {
        var inventoryAdjustmentGroup: IDAnswer?
        var userErrors: [UserErrorAnswer]
    }

    var inventorySetQuantities: Payload?
}

struct ProductSetAnswer: Decodable, Sendable {
    struct Variant: Decodable, Sendable {
        var id: String
        var sku: String?
        var inventoryItem: IDAnswer
    }

    struct Variants: Decodable, Sendable {
        var nodes: [Variant]
    }

    struct Product: Decodable, Sendable {
        var id: String
        var handle: String
        var variants: Variants
    }

    struct Payload: Decodable, Sendable {
        var product: Product?
        var userErrors: [UserErrorAnswer]
    }

    var productSet: Payload?

    /// The ids to remember: `product`, `variant:SKU`, `item:SKU`.
    static func ids(_ product: Product) -> [String: String] {
        var ids = ["product": product.id]
        for variant in product.variants.nodes {
            guard let sku = variant.sku, !sku.isEmpty else { continue }
            ids["variant:" + sku] = variant.id
            ids["item:" + sku] = variant.inventoryItem.id
        }
        return ids
    }
}

struct StagedUploadsAnswer: Decodable, Sendable {
    struct Parameter: Decodable, Sendable {
        var name: String
        var value: String
    }

    struct Target: Decodable, Sendable {
        var url: String?
        var resourceUrl: String?
        var parameters: [Parameter]
    }

    struct Payload: Decodable, Sendable {
        var stagedTargets: [Target]?
        var userErrors: [UserErrorAnswer]
    }

    var stagedUploadsCreate: Payload?
}

struct BulkOperationAnswer: Decodable, Sendable {
    struct Operation: Decodable, Sendable {
        var id: String
        var status: String
        var errorCode: String?
        var url: String?
    }

    struct RunPayload: Decodable, Sendable {
        var bulkOperation: Operation?
        var userErrors: [UserErrorAnswer]
    }

    var bulkOperationRunMutation: RunPayload?
    var bulkOperationRunQuery: RunPayload?
    var bulkOperation: Operation?
}
