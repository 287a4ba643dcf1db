/// The variables of Hafen's read operations, shared by the documents that take them.

/// A page of a search: `first`, `after`, `query`.
struct WindowVariables: Encodable, Sendable {
    var first: Int
    var after: String?
    var query: String
}

/// One object by id (and, for its nested lines, where the next page begins).
struct IDVariables: Encodable, Sendable {
    var id: String
    var after: String?
}

/// A search alone (counts, an order by name, a bulk query's text).
struct QueryVariables: Encodable, Sendable {
    var query: String
}
