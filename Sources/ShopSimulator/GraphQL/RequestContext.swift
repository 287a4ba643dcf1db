import GraphQL

/// What every resolver of one call gets: the simulator and the call's variables as sent (the
/// executor's coerced arguments cannot tell a missing input field from a null one, and
/// Shopify's `changeFromQuantity` rule depends on that difference).
struct RequestContext: Sendable {
    let simulator: Simulator
    let rawVariables: [String: Map]
    /// A bulk query runs: connections give all their nodes, whatever `first` or `last` say.
    var bulk = false
}

/// Errors that make a root field `null` and appear in `errors` with Shopify's code.
enum RootError {
    static func make(_ message: String, field: String, code: String) -> GraphQLError {
        GraphQLError(message: message, path: IndexPath([IndexPathValue.key(field)]), extensions: ["code": .string(code)])
    }
}
