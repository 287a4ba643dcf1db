/// What an import says about one field of a shop object: leave it as the shop has it, set it,
/// or clear it. A blank cell becomes `.keep` or `.clear` as the flow's `blank` setting says.
public enum Patch<Value: Sendable & Hashable>: Sendable, Hashable {
    case keep
    case set(Value)
    case clear

    /// The value to send, if any.
    public var value: Value? {
        if case .set(let value) = self { return value }
        return nil
    }
}

extension Patch: Codable where Value: Codable {
    /// In JSON, `.keep` leaves the key out (see the container extensions below), `.clear` is null.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = container.decodeNil() ? .clear : .set(try container.decode(Value.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .set(let value): try container.encode(value)
        case .clear, .keep: try container.encodeNil()
        }
    }
}

extension KeyedEncodingContainer {
    /// Encodes a patch unless it is `.keep` (synthesised `Codable` picks this overload).
    public mutating func encode<V: Codable>(_ patch: Patch<V>, forKey key: Key) throws {
        if patch != .keep { try encode(patch as Patch<V>?, forKey: key) }
    }
}

extension KeyedDecodingContainer {
    /// A missing key is `.keep`.
    public func decode<V: Codable>(_ type: Patch<V>.Type, forKey key: Key) throws -> Patch<V> {
        try decodeIfPresent(Patch<V>.self, forKey: key) ?? .keep
    }
}
