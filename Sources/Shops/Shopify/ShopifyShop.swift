public import Commerce
import Crypto
import Foundation

/// The Shopify implementation of `Shop` over Admin GraphQL (version per shop, 2026-07 by
/// default). Stock goes in `inventorySetQuantities` batches of 250 with an idempotency key per
/// batch; products go one `productSet` per product, or as one bulk import above
/// `bulkThreshold` products.
public struct ShopifyShop: Shop {
    public let name: String
    let client: ShopifyClient
    let bulkThreshold: Int
    let bulkPollInterval: Duration

    static let batchSize = 250
    /// SKUs per lookup query: keeps the search string short and one page (250) enough.
    static let skusPerLookup = 100

    public init(name: String, client: ShopifyClient, bulkThreshold: Int = 100, bulkPollInterval: Duration = .seconds(1)) {
        self.name = name
        self.client = client
        self.bulkThreshold = bulkThreshold
        self.bulkPollInterval = bulkPollInterval
    }

    public func statistics() async -> ShopStatistics {
        await client.statistics
    }

    private struct PageVariables: Encodable, Sendable {
        var first: Int
        var after: String?
        var query: String?
    }

    public func locations() async throws(ShopError) -> [String: String] {
        var found: [String: String] = [:]
        var after: String?
        repeat {
            let answer = try await client.send(
                .locations, variables: PageVariables(first: 250, after: after), estimatedCost: 2 + 250 + 1, safeToRepeat: true, as: LocationsAnswer.self)
            guard let connection = answer.data?.locations else { break }
            for node in connection.nodes where node.isActive { found[node.name] = node.id }
            after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : nil
        } while after != nil
        return found
    }

    public func variants(skus: [String]) async throws(ShopError) -> [String: RemoteVariant] {
        var found: [String: RemoteVariant] = [:]
        let unique = Array(Set(skus)).sorted()
        var start = 0
        while start < unique.count {
            let chunk = unique[start..<min(start + Self.skusPerLookup, unique.count)]
            start = chunk.endIndex
            let wanted = Set(chunk)
            let query = chunk.map { "sku:" + Self.quoted($0) }.joined(separator: " OR ")
            var after: String?
            repeat {
                let answer = try await client.send(
                    .variantsBySKU, variables: PageVariables(first: 250, after: after, query: query), estimatedCost: 2 + 250 * 3 + 1,
                    safeToRepeat: true, as: VariantsAnswer.self)
                guard let connection = answer.data?.productVariants else { break }
                for node in connection.nodes {
                    guard let sku = node.sku, wanted.contains(sku), found[sku] == nil else { continue }
                    found[sku] = RemoteVariant(variantID: node.id, productID: node.product.id, inventoryItemID: node.inventoryItem.id)
                }
                after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : nil
            } while after != nil
        }
        return found
    }

    /// A search value in double quotes, `"` and `\` escaped.
    static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private struct SetQuantitiesVariables: Encodable, Sendable {
        struct Quantity: Encodable, Sendable {
            var inventoryItemId: String
            var locationId: String
            var quantity: Int
            /// Always sent (the API requires the key); null: the ERP's figure is the truth.
            var changeFromQuantity: Int?

            private enum Keys: String, CodingKey { case inventoryItemId, locationId, quantity, changeFromQuantity }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(inventoryItemId, forKey: .inventoryItemId)
                try container.encode(locationId, forKey: .locationId)
                try container.encode(quantity, forKey: .quantity)
                try container.encode(changeFromQuantity, forKey: .changeFromQuantity)
            }
        }

        struct Input: Encodable, Sendable {
            var name = "available"
            var reason = "correction"
            var referenceDocumentUri: String
            var quantities: [Quantity]
        }

        var key: String
        var input: Input
    }

    public var stockBatchSize: Int { Self.batchSize }

    public func setStock(_ changes: [StockChange], reference: String, firstBatch: Int) async -> Outcomes {
        var outcomes = [ObjectOutcome?](repeating: nil, count: changes.count)
        do {
            try await setStock(changes, reference: reference, firstBatch: firstBatch, into: &outcomes)
        } catch {
            return Outcomes(items: outcomes, failure: error)
        }
        return Outcomes(items: outcomes)
    }

    private func setStock(
        _ changes: [StockChange], reference: String, firstBatch: Int, into outcomes: inout [ObjectOutcome?]
    ) async throws(ShopError) {
        var batchNumber = firstBatch - 1
        var start = 0
        while start < changes.count {
            let indices = Array(start..<min(start + Self.batchSize, changes.count))
            start = indices.last! + 1
            batchNumber += 1
            var pending = indices
            var round = 0
            // The call is applied whole or not at all: refused entries are taken out and the
            // rest is sent again under a new key.
            while !pending.isEmpty {
                let quantities = pending.map {
                    SetQuantitiesVariables.Quantity(
                        inventoryItemId: changes[$0].inventoryItemID, locationId: changes[$0].locationID, quantity: changes[$0].quantity)
                }
                let key = Self.idempotencyKey(reference: reference, batch: batchNumber, round: round, quantities: quantities.map {
                    "\($0.inventoryItemId)|\($0.locationId)|\($0.quantity)"
                })
                let variables = SetQuantitiesVariables(
                    key: key, input: .init(referenceDocumentUri: "gid://hafen/File/\(reference)", quantities: quantities))
                let answer = try await client.send(
                    .inventorySetQuantities, variables: variables, estimatedCost: 10, safeToRepeat: true, as: SetQuantitiesAnswer.self)
                guard let payload = answer.data?.inventorySetQuantities else {
                    throw .invalidCall(shop: name, detail: "inventorySetQuantities: \(answer.problemSummary)")
                }
                if payload.userErrors.isEmpty {
                    for index in pending { outcomes[index] = .applied(ids: [:]) }
                    break
                }
                var refused = Set<Int>()
                for error in payload.userErrors {
                    // field: ["input", "quantities", "3", "locationId"] names the entry.
                    if let field = error.field, field.count >= 3, field[1] == "quantities", let position = Int(field[2]), position < pending.count {
                        refused.insert(pending[position])
                        outcomes[pending[position]] = .refused(error.objectError)
                    }
                }
                if refused.isEmpty {
                    // A problem of the whole call (name, reason, key): every entry carries it.
                    for index in pending { outcomes[index] = .refused(payload.userErrors[0].objectError) }
                    break
                }
                pending.removeAll { refused.contains($0) }
                round += 1
            }
        }
    }

    /// `<reference>-b<batch>[-r<round>]-<hash of the batch's content>`: the same file, batch and
    /// content always give the same key, so a resent batch is applied once; other content
    /// (a later plan of the same file) gets another key instead of a parameter mismatch.
    static func idempotencyKey(reference: String, batch: Int, round: Int, quantities: [String]) -> String {
        let digest = SHA256.hash(data: Data(quantities.joined(separator: "\n").utf8))
        let hash = digest.prefix(6).map { String(format: "%02x", $0) }.joined()
        return "\(reference)-b\(batch)\(round > 0 ? "-r\(round)" : "")-\(hash)"
    }

    public func setProducts(_ products: [Product], reference: String) async -> Outcomes {
        if products.count > bulkThreshold {
            do {
                return Outcomes(items: try await bulkSetProducts(products, reference: reference))
            } catch {
                return Outcomes(items: Array(repeating: nil, count: products.count), failure: error)
            }
        }
        var outcomes: [ObjectOutcome?] = []
        for product in products {
            let answer: GraphQLAnswer<ProductSetAnswer>
            do {
                answer = try await client.send(
                    .productSet, variables: ProductSetVariables(product), estimatedCost: 10, safeToRepeat: true, as: ProductSetAnswer.self)
            } catch {
                return Outcomes(items: outcomes + Array(repeating: nil, count: products.count - outcomes.count), failure: error)
            }
            guard let payload = answer.data?.productSet else {
                outcomes.append(.refused(ShopObjectError(code: nil, field: nil, message: answer.problemSummary)))
                continue
            }
            if let created = payload.product, payload.userErrors.isEmpty {
                outcomes.append(.applied(ids: ProductSetAnswer.ids(created)))
            } else {
                outcomes.append(.refused(payload.userErrors.first?.objectError ?? ShopObjectError(code: nil, field: nil, message: "no product returned")))
            }
        }
        return Outcomes(items: outcomes)
    }
}
