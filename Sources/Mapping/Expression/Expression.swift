/// A parsed mapping expression: `Bestand - Reserviert`, `upper(trim(Farbe))`,
/// `if(Aktiv, 'active', 'draft')`, `[VK-Preis brutto] * 1.19`, `Marke & ' ' & Bezeichnung`.
public indirect enum Expression: Sendable, Hashable {
    case literal(Value)
    /// A column of the record, by its name in the header.
    case column(String)
    case unary(UnaryOperator, Expression)
    case binary(BinaryOperator, Expression, Expression)
    case call(Function, [Expression])

    public enum UnaryOperator: String, Sendable, Hashable {
        case negate = "-", not
    }

    public enum BinaryOperator: String, Sendable, Hashable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", concatenate = "&"
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case and, or
    }

    /// Every column the expression reads, for checking them against the schema at start-up.
    public var columns: [String] {
        switch self {
        case .literal: []
        case .column(let name): [name]
        case .unary(_, let e): e.columns
        case .binary(_, let a, let b): a.columns + b.columns
        case .call(_, let args): args.flatMap(\.columns)
        }
    }
}
