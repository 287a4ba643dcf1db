public import Commerce
public import Foundation

/// Many orders at once: a bulk query (`OrdersBulk.graphql`) runs in the shop outside the rate
/// limit; its JSONL result holds each order on a line, followed by its lines and shipping lines
/// on lines of their own that name it in `__parentId`.
extension ShopifyShop {
    private struct CountVariables: Encodable, Sendable {
        var query: String
    }

    private struct CountAnswer: Decodable, Sendable {
        struct Count: Decodable, Sendable {
            var count: Int
        }

        var ordersCount: Count?
    }

    private struct QueryVariables: Encodable, Sendable {
        var query: String
    }

    static func search(from: Date, to: Date?) -> String {
        var query = "updated_at:>=" + quoted(ShopTime.text(from))
        if let to { query += " updated_at:<=" + quoted(ShopTime.text(to)) }
        return query
    }

    public func countOrdersUpdated(from: Date, to: Date?) async throws(ShopError) -> Int {
        let answer = try await client.send(
            .ordersCount, variables: CountVariables(query: Self.search(from: from, to: to)), estimatedCost: 1, safeToRepeat: true, as: CountAnswer.self)
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

    /// Orders from a bulk result: order lines, then their children by `__parentId`.
    static func orders(fromBulkResult bytes: [UInt8], shop: String) throws(ShopError) -> [Order] {
        var orders: [(id: String, fields: [String: Any])] = []
        var index: [String: Int] = [:]
        var lines: [String: [Any]] = [:]
        var shipping: [String: [Any]] = [:]
        for line in bytes.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
                throw .invalidCall(shop: shop, detail: "bulk result: a line is not a JSON object")
            }
            if let parent = object["__parentId"] as? String {
                if object["quantity"] != nil { lines[parent, default: []].append(object) } else { shipping[parent, default: []].append(object) }
            } else if let id = object["id"] as? String {
                index[id] = orders.count
                orders.append((id, object))
            }
        }
        var result: [Order] = []
        result.reserveCapacity(orders.count)
        let decoder = JSONDecoder()
        for (id, var fields) in orders {
            fields["lineItems"] = ["nodes": lines[id] ?? [], "pageInfo": ["hasNextPage": false]]
            fields["shippingLines"] = ["nodes": shipping[id] ?? []]
            do {
                let node = try decoder.decode(OrderNode.self, from: JSONSerialization.data(withJSONObject: fields))
                result.append(try node.order())
            } catch {
                throw .invalidCall(shop: shop, detail: "bulk result: order \(id) cannot be read: \(error)")
            }
        }
        return result
    }
}
