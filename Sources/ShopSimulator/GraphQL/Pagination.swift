import Foundation
import GraphQL

/// Cursor pagination as Shopify does it: `first`/`after` or `last`/`before`, at most 250 per
/// page, opaque cursors (here: the base64 of the item's id), and `pageInfo`. Items come in id
/// order unless `sortedByID` is false (another sort key): then a cursor marks a position. In a
/// bulk query every node comes back.
enum Pagination {
    static let maximumPageSize = 250

    static func page<Item>(
        _ items: [Item], id: (Item) -> Int, args: Map, field: String, sortedByID: Bool = true, bulk: Bool = false
    ) throws -> (items: [Item], pageInfo: [String: any Sendable]) {
        let first = args["first"].int
        let last = args["last"].int
        // A bulk query reads every node: page sizes and cursors are ignored, as Shopify does.
        if bulk {
            return (items, ["hasNextPage": false, "hasPreviousPage": false, "startCursor": nil as String?, "endCursor": nil as String?])
        }
        guard first != nil || last != nil else {
            throw RootError.make("you must provide one of first or last", field: field, code: "BAD_REQUEST")
        }
        for (name, value) in [("first", first), ("last", last)] {
            if let value, value > maximumPageSize {
                throw RootError.make("\(name) cannot exceed \(maximumPageSize).", field: field, code: "BAD_REQUEST")
            }
            if let value, value < 0 { throw RootError.make("\(name) cannot be negative.", field: field, code: "BAD_REQUEST") }
        }
        var window = items[...]
        if let after = args["after"].string {
            guard let mark = decode(after) else { throw RootError.make("Invalid cursor for current pagination sort.", field: field, code: "BAD_REQUEST") }
            if sortedByID {
                window = window.drop { id($0) <= mark }
            } else {
                guard let position = window.firstIndex(where: { id($0) == mark }) else {
                    throw RootError.make("Invalid cursor for current pagination sort.", field: field, code: "BAD_REQUEST")
                }
                window = window[(position + 1)...]
            }
        }
        if let before = args["before"].string {
            guard let mark = decode(before) else { throw RootError.make("Invalid cursor for current pagination sort.", field: field, code: "BAD_REQUEST") }
            window = sortedByID ? window.prefix { id($0) < mark } : window.prefix { id($0) != mark }
        }
        var page = window
        if let first { page = page.prefix(first) }
        if let last { page = page.suffix(last) }
        let info: [String: any Sendable] = [
            "hasNextPage": page.endIndex < items.endIndex,
            "hasPreviousPage": page.startIndex > items.startIndex,
            "startCursor": page.first.map { encode(id($0)) },
            "endCursor": page.last.map { encode(id($0)) },
        ]
        return (Array(page), info)
    }

    /// A connection's answer: `nodes`, `edges` (node and cursor) and `pageInfo`.
    static func connection(_ nodes: [[String: any Sendable]], ids: [Int], pageInfo: [String: any Sendable]) -> [String: any Sendable] {
        let edges: [[String: any Sendable]] = zip(nodes, ids).map { ["node": $0.0, "cursor": encode($0.1)] }
        return ["nodes": nodes, "edges": edges, "pageInfo": pageInfo]
    }

    static func encode(_ id: Int) -> String { Data("id:\(id)".utf8).base64EncodedString() }

    static func decode(_ cursor: String) -> Int? {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8), text.hasPrefix("id:") else { return nil }
        return Int(text.dropFirst(3))
    }
}
