/// A uniqueness rule of the schema: a `unique` field, the `primaryKey`, or one of `uniqueKeys`.
struct KeyConstraint: Sendable {
    enum Kind: Sendable {
        case uniqueField, primaryKey, uniqueKeys
    }

    var kind: Kind
    /// The schema fields (indices into the validator's rules) that make up the key.
    var ruleIndices: [Int]
}
