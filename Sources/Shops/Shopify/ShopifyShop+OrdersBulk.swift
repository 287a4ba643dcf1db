public import Commerce
public import Foundation

/// Many orders at once: a bulk query (`OrdersBulk.graphql`) runs in the shop outside the rate
/// limit; its JSONL result holds each order on a line, followed by its lines and shipping lines
/// on lines of their own that name it in `__parentId`.
extension ShopifyShop {
    private struct CountAnswer: Decodable, Sendable {
        struct Count: Decodable, Sendable {
            var count: Int
        }

        var ordersCount: Count?
    }

    static func search(from: Date, to: Date?) -> String {
        var query = "updated_at:>=" + quoted(ShopTime.text(from))
        if let to { query += " updated_at:<=" + quoted(ShopTime.text(to)) }
        return query
    }

    public func countOrdersUpdated(from: Date, to: Date?) async throws(ShopError) -> Int {
        let answer = try await client.send(
            .ordersCount, variables: QueryVariables(query: Self.search(from: from, to: to)), estimatedCost: 1, safeToRepeat: true, as: CountAnswer.self)
        guard let count = answer.data?.ordersCount?.count else { throw .invalidCall(shop: name, detail: "ordersCount: no count in the answer") }
        return count
    }

    public func ordersUpdatedInBulk(from: Date, to: Date?) async throws(ShopError) -> [Order] {
        let template: String
        do { template = try ShopifyDocument.ordersBulk.text } catch { throw .invalidCall(shop: name, detail: "\(error)") }
        // The search goes inside a GraphQL string literal: its quotes and backslashes escaped.
        let search = Self.search(from: from, to: to).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let query = template.replacingOccurrences(of: "__SEARCH__", with: search)
        // A query changes nothing: sending it again after a lost answer is safe (at worst the
        // shop says one is already running, which is reported).
        let run = try await client.send(
            .bulkOperationRunQuery, variables: QueryVariables(query: query), estimatedCost: 10, safeToRepeat: true, as: BulkOperationAnswer.self)
        guard let operation = run.data?.bulkOperationRunQuery?.bulkOperation else {
            let detail = run.data?.bulkOperationRunQuery?.userErrors.map { "\($0.code ?? ""): \($0.message)" }.joined(separator: "; ") ?? run.problemSummary
            throw .invalidCall(shop: name, detail: "bulkOperationRunQuery: \(detail)")
        }
        let url = try await completion(of: operation, what: "bulk query")
        return try Self.orders(fromBulkResult: try await client.download(url), shop: name)
    }

    private struct Child: Decodable {
        var parentID: String
        var quantity: Int?

        enum CodingKeys: String, CodingKey {
            case parentID = "__parentId"
            case quantity
        }
    }

    /// Orders from a bulk result: order lines, then their children by `__parentId`. Each line
    /// is decoded into its small typed form at once, so memory holds the orders, not the JSON.
    static func orders(fromBulkResult bytes: [UInt8], shop: String) throws(ShopError) -> [Order] {
        var nodes: [OrderNode] = []
        var lines: [String: [OrderNode.Line]] = [:]
        var shipping: [String: [OrderNode.Shipping]] = [:]
        let decoder = JSONDecoder()
        let marker = Array("\"__parentId\"".utf8)
        for line in bytes.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let data = Data(line)
            do {
                if line.firstRange(of: marker) != nil {
                    let child = try decoder.decode(Child.self, from: data)
                    if child.quantity != nil {
                        lines[child.parentID, default: []].append(try decoder.decode(OrderNode.Line.self, from: data))
                    } else {
                        shipping[child.parentID, default: []].append(try decoder.decode(OrderNode.Shipping.self, from: data))
                    }
                } else {
                    nodes.append(try decoder.decode(OrderNode.self, from: data))
                }
            } catch {
                throw .invalidCall(shop: shop, detail: "bulk result: a line cannot be read: \(error)")
            }
        }
        var result: [Order] = []
        result.reserveCapacity(nodes.count)
        for node in nodes {
            result.append(try node.order(lines: lines[node.id] ?? [], shipping: shipping[node.id] ?? []))
        }
        return result
    }
}
