/// An Admin GraphQL answer: `data` in the operation's shape, top-level `errors`, and the cost.
struct GraphQLAnswer<Payload: Decodable & Sendable>: Decodable, Sendable {
    struct Problem: Decodable, Sendable {
        struct Extensions: Decodable, Sendable {
            var code: String?
        }

        var message: String
        var extensions: Extensions?
        var code: String? { extensions?.code }
    }

    struct Extensions: Decodable, Sendable {
        var cost: QueryCost?
    }

    var data: Payload?
    var errors: [Problem]?
    var extensions: Extensions?

    var problemSummary: String {
        (errors ?? []).map { problem in problem.code.map { "\($0): \(problem.message)" } ?? problem.message }.joined(separator: "; ")
    }
}

/// A `userErrors` entry as the connector's documents select it.
struct UserErrorAnswer: Decodable, Sendable {
    var field: [String]?
    var message: String
    var code: String?

    var objectError: ShopObjectError {
        ShopObjectError(code: code, field: field?.joined(separator: "."), message: message)
    }
}

/// `{"query": …, "variables": …}`.
struct GraphQLRequestBody<Variables: Encodable>: Encodable {
    var query: String
    var operationName: String?
    var variables: Variables
}
