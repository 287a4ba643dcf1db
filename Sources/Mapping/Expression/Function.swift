/// The functions mapping expressions can call.
public enum Function: String, Sendable, Hashable, CaseIterable {
    /// `if(condition, then, else)`
    case `if`
    /// `coalesce(a, b, …)`: the first value that is not blank.
    case coalesce
    /// `concat(a, b, …)`: the values as text, joined.
    case concat
    case upper, lower, trim
    /// `replace(text, find, with)`
    case replace
    /// `left(text, n)`: at most the first n characters.
    case left
    /// `round(number, places)`
    case round
    /// `number(text, decimalChar, groupChar)`: text such as `1.234,50` as a number.
    case number
    /// `text(value)`
    case text
    /// `slug(text)`: a Shopify-style handle (`Rolle Pinsel Maß` → `rolle-pinsel-mass`).
    case slug

    /// How many arguments it takes.
    var arity: ClosedRange<Int> {
        switch self {
        case .if, .replace: 3...3
        case .coalesce, .concat: 1...16
        case .upper, .lower, .trim, .text, .slug: 1...1
        case .left, .round: 2...2
        case .number: 1...3
        }
    }
}
