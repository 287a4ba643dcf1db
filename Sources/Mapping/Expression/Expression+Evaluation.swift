import Foundation

extension Expression {
    /// Computes the expression for one record. `cell` answers a column's value. Arithmetic on a
    /// blank operand gives blank (use `coalesce(Reserviert, 0)` for a default); text where a
    /// number is needed is an error that names the value.
    public func evaluate(_ cell: (String) -> Value) throws(ExpressionError) -> Value {
        switch self {
        case .literal(let value):
            return value
        case .column(let name):
            return cell(name)
        case .unary(.negate, let operand):
            switch try operand.evaluate(cell) {
            case .null: return .null
            case .number(let n): return .number(-n)
            case let other: throw Self.failure("cannot negate \(other.kind) \"\(other.text)\"")
            }
        case .unary(.not, let operand):
            return .bool(!(try Self.truth(operand.evaluate(cell))))
        case .binary(.and, let a, let b):
            guard try Self.truth(a.evaluate(cell)) else { return .bool(false) }
            return .bool(try Self.truth(b.evaluate(cell)))
        case .binary(.or, let a, let b):
            if try Self.truth(a.evaluate(cell)) { return .bool(true) }
            return .bool(try Self.truth(b.evaluate(cell)))
        case .binary(let op, let a, let b):
            return try Self.apply(op, try a.evaluate(cell), try b.evaluate(cell))
        case .call(let function, let arguments):
            if function == .if {  // only the branch taken is evaluated
                return try Self.truth(arguments[0].evaluate(cell)) ? arguments[1].evaluate(cell) : arguments[2].evaluate(cell)
            }
            var values: [Value] = []
            for argument in arguments { values.append(try argument.evaluate(cell)) }
            return try Self.call(function, values)
        }
    }

    static func failure(_ message: String) -> ExpressionError {
        ExpressionError(expression: "", message: message)
    }

    /// true/false; blank counts as false.
    static func truth(_ value: Value) throws(ExpressionError) -> Bool {
        switch value {
        case .bool(let b): return b
        case .null: return false
        case .text(let s) where s.isEmpty: return false
        case let other: throw failure("\(other.kind) \"\(other.text)\" is not true or false")
        }
    }

    static func number(_ value: Value, for op: String) throws(ExpressionError) -> Decimal? {
        switch value {
        case .null: return nil
        case .number(let n): return n
        case .text(let s) where s.isEmpty: return nil
        case let other: throw failure("\"\(other.text)\" is \(other.kind), not a number, so \(op) cannot use it")
        }
    }

    static func apply(_ op: BinaryOperator, _ a: Value, _ b: Value) throws(ExpressionError) -> Value {
        switch op {
        case .concatenate:
            return .text(a.text + b.text)
        case .add, .subtract, .multiply, .divide:
            guard let x = try number(a, for: op.rawValue), let y = try number(b, for: op.rawValue) else { return .null }
            switch op {
            case .add: return .number(x + y)
            case .subtract: return .number(x - y)
            case .multiply: return .number(x * y)
            default:
                guard y != 0 else { throw failure("division by zero") }
                return .number(x / y)
            }
        case .equal, .notEqual:
            let same: Bool = switch (a, b) {
            case let (.number(x), .number(y)): x == y
            case (.null, _), (_, .null): a.isBlank && b.isBlank
            default: a.text == b.text
            }
            return .bool(op == .equal ? same : !same)
        default:
            let order: ComparisonResult
            switch (a, b) {
            case let (.number(x), .number(y)): order = x < y ? .orderedAscending : (x > y ? .orderedDescending : .orderedSame)
            case let (.text(x), .text(y)): order = x < y ? .orderedAscending : (x > y ? .orderedDescending : .orderedSame)
            case (.null, _), (_, .null): return .bool(false)
            default: throw failure("cannot compare \(a.kind) \"\(a.text)\" with \(b.kind) \"\(b.text)\"")
            }
            switch op {
            case .less: return .bool(order == .orderedAscending)
            case .lessOrEqual: return .bool(order != .orderedDescending)
            case .greater: return .bool(order == .orderedDescending)
            default: return .bool(order != .orderedAscending)
            }
        }
    }

    static func call(_ function: Function, _ v: [Value]) throws(ExpressionError) -> Value {
        switch function {
        case .if: return .null  // handled in evaluate
        case .coalesce: return v.first { !$0.isBlank } ?? .null
        case .concat: return .text(v.map(\.text).joined())
        case .upper: return v[0] == .null ? .null : .text(v[0].text.uppercased())
        case .lower: return v[0] == .null ? .null : .text(v[0].text.lowercased())
        case .trim: return v[0] == .null ? .null : .text(v[0].text.trimmingCharacters(in: .whitespacesAndNewlines))
        case .text: return v[0] == .null ? .null : .text(v[0].text)
        case .replace: return v[0] == .null ? .null : .text(v[0].text.replacingOccurrences(of: v[1].text, with: v[2].text))
        case .left:
            guard let n = try number(v[1], for: "left") else { return v[0] }
            return v[0] == .null ? .null : .text(String(v[0].text.prefix(max(0, NSDecimalNumber(decimal: n).intValue))))
        case .round:
            guard var x = try number(v[0], for: "round") else { return .null }
            let places = try number(v[1], for: "round").map { NSDecimalNumber(decimal: $0).intValue } ?? 0
            var rounded = Decimal()
            NSDecimalRound(&rounded, &x, places, .plain)
            return .number(rounded)
        case .number:
            if case .number = v[0] { return v[0] }
            if v[0].isBlank { return .null }
            let decimal = v.count > 1 ? v[1].text : ","
            let group = v.count > 2 ? v[2].text : "."
            guard let n = parseNumber(v[0].text, decimal: decimal, group: group) else {
                throw failure("\"\(v[0].text)\" is not a number with decimal \"\(decimal)\" and thousands \"\(group)\"")
            }
            return .number(n)
        case .slug: return v[0] == .null ? .null : .text(slug(v[0].text))
        }
    }

    static func parseNumber(_ text: String, decimal: String, group: String) -> Decimal? {
        var s = text.trimmingCharacters(in: .whitespaces)
        if !group.isEmpty { s = s.replacingOccurrences(of: group, with: "") }
        if decimal != "." { s = s.replacingOccurrences(of: decimal, with: ".") }
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+") }) else { return nil }
        return Decimal(string: s, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// Lower case, German umlauts spelled out, anything else but letters and digits a single `-`.
    static func slug(_ text: String) -> String {
        var out = ""
        var pendingDash = false
        for ch in text.lowercased() {
            let spelled: String = switch ch {
            case "ä": "ae"
            case "ö": "oe"
            case "ü": "ue"
            case "ß": "ss"
            default: String(ch)
            }
            let folded = spelled.folding(options: .diacriticInsensitive, locale: nil)
            for c in folded {
                if c.isASCII && (c.isLetter || c.isNumber) {
                    if pendingDash && !out.isEmpty { out.append("-") }
                    pendingDash = false
                    out.append(c)
                } else {
                    pendingDash = true
                }
            }
        }
        return out
    }
}
