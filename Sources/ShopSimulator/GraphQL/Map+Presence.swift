import GraphQL
import OrderedCollections

extension Map {
    /// Whether an input object has the key at all (`map["key"]` reads a missing key as null, but
    /// Shopify treats a missing field as "leave alone" and an explicit null as "clear").
    func has(_ key: String) -> Bool {
        guard let value = dictionary?[key] else { return false }
        return !value.isUndefined
    }
}
