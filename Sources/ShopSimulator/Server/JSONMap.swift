import Foundation
import GraphQL
import OrderedCollections

/// JSON to GraphQLSwift's `Map` through JSONSerialization: decoding a call's variables with
/// `Map`'s own `Decodable` took 40 % of a 250-quantity call (it tries every type per value).
enum JSONMap {
    /// The top-level object of a JSON text, or nil when it is not one.
    static func object(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }

    static func map(_ value: Any) -> Map {
        switch value {
        case let text as String:
            return .string(text)
        case let number as NSNumber:
            // JSONSerialization gives booleans as NSNumber with the "c" (char) type.
            switch String(cString: number.objCType) {
            case "c", "B": return .bool(number.boolValue)
            case "f", "d": return .number(Number(number.doubleValue))
            default: return .number(Number(number.intValue))
            }
        case let array as [Any]:
            return .array(array.map(map))
        case let object as [String: Any]:
            var dictionary = OrderedDictionary<String, Map>()
            for (key, item) in object { dictionary[key] = map(item) }
            return .dictionary(dictionary)
        default:
            return .null
        }
    }
}
