public import Foundation

/// A value inside a mapping: a cell as the validator cast it, or what an expression computed.
public enum Value: Sendable, Hashable {
    case null
    case text(String)
    case number(Decimal)
    case bool(Bool)

    /// Blank: null, or text that is empty after trimming spaces.
    public var isBlank: Bool {
        switch self {
        case .null: true
        case .text(let s): s.allSatisfy { $0 == " " || $0 == "\t" }
        default: false
        }
    }

    /// The value as text: numbers without exponent or trailing zeros (`19`, `1714.7`), booleans as `true`/`false`.
    public var text: String {
        switch self {
        case .null: ""
        case .text(let s): s
        case .number(let d): Value.plain(d)
        case .bool(let b): b ? "true" : "false"
        }
    }

    /// What kind of value, for messages.
    public var kind: String {
        switch self {
        case .null: "empty"
        case .text: "text"
        case .number: "a number"
        case .bool: "true/false"
        }
    }

    static func plain(_ d: Decimal) -> String {
        var d = d
        var rounded = Decimal()
        NSDecimalRound(&rounded, &d, 12, .plain)
        return NSDecimalNumber(decimal: rounded).stringValue
    }
}
