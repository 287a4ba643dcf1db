public import Foundation

/// A variant's shipping weight.
public struct Weight: Sendable, Hashable, Codable {
    /// Units as Shopify's `WeightUnit` names them.
    public enum Unit: String, Sendable, Hashable, Codable, CaseIterable {
        case kilograms = "KILOGRAMS", grams = "GRAMS", pounds = "POUNDS", ounces = "OUNCES"

        /// Reads the usual spellings: `kg`, `g`, `lb`, `oz` and the full names, any case.
        public init?(spelling: String) {
            switch spelling.lowercased() {
            case "kg", "kilogram", "kilograms", "kilogramm": self = .kilograms
            case "g", "gram", "grams", "gramm": self = .grams
            case "lb", "lbs", "pound", "pounds": self = .pounds
            case "oz", "ounce", "ounces": self = .ounces
            default: return nil
            }
        }
    }

    public var value: Decimal
    public var unit: Unit

    public init(value: Decimal, unit: Unit) {
        self.value = value
        self.unit = unit
    }
}
