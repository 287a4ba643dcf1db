import Foundation
import GraphQL

/// The JSON of a GraphQL answer in Shopify's shape: `data`, `errors` and `extensions.cost`
/// (with `actualQueryCost: null` when the call was throttled).
struct Envelope: Encodable {
    struct Cost: Encodable {
        struct ThrottleStatus: Encodable {
            var maximumAvailable: Double
            var currentlyAvailable: Double
            var restoreRate: Double
        }

        var requestedQueryCost: Int
        var actualQueryCost: Int?
        var throttleStatus: ThrottleStatus

        private enum Keys: String, CodingKey {
            case requestedQueryCost, actualQueryCost, throttleStatus
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(requestedQueryCost, forKey: .requestedQueryCost)
            try container.encode(actualQueryCost, forKey: .actualQueryCost)
            try container.encode(throttleStatus, forKey: .throttleStatus)
        }
    }

    struct Extensions: Encodable {
        var cost: Cost
    }

    /// nil: not executed (no `data` key); `.null`: executed, and the null reached the root.
    var data: Map?
    var errors: [GraphQLError]?
    var extensions: Extensions?

    private enum Keys: String, CodingKey {
        case data, errors, extensions
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        if let data {
            if data.isNull { try container.encodeNil(forKey: .data) } else { try container.encode(data, forKey: .data) }
        }
        try container.encodeIfPresent(errors, forKey: .errors)
        try container.encodeIfPresent(extensions, forKey: .extensions)
    }

    func json() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data(#"{"errors":[{"message":"Internal error"}]}"#.utf8))
    }
}
