import Foundation

/// Parses mapping expressions. Columns are bare names (`Bestand`, `Größe`) or bracketed when
/// they hold spaces or symbols (`[VK-Preis brutto]`); text is quoted with `'…'` or `"…"`;
/// numbers use a decimal point. Operators, loosest first: `or`, `and`, `not`, comparisons
/// (`= != < <= > >=`), `&` (joins text), `+ -`, `* /`, unary `-`.
///
/// The parser and the evaluator recurse over the expression, so its size is bounded: at most
/// ``maximumNesting`` levels of brackets, calls, signs and `not`, and at most
/// ``maximumOperators`` operators. A mapping never comes near either; a hostile or garbled
/// configuration gets an error instead of a stack overflow.
public struct ExpressionParser {
    /// The deepest nesting of brackets, calls, unary `-` and `not` an expression may have.
    public static let maximumNesting = 48
    /// The most binary operators an expression may have.
    public static let maximumOperators = 256

    private let text: String
    private let characters: [Character]
    private var index = 0
    private var nesting = 0
    private var operators = 0

    /// Parses `text`; a whole text that is exactly the name of a known column is that column,
    /// spaces and symbols included (`VK-Preis brutto`), so simple maps need no brackets.
    public static func parse(_ text: String, columns: Set<String> = []) throws(ExpressionError) -> Expression {
        if columns.contains(text) { return .column(text) }
        var parser = ExpressionParser(text: text)
        let expression = try parser.parseOr()
        parser.skipSpaces()
        guard parser.index == parser.characters.count else {
            throw parser.failure("unexpected \"\(parser.characters[parser.index])\"")
        }
        return expression
    }

    private init(text: String) {
        self.text = text
        characters = Array(text)
    }

    private func failure(_ message: String) -> ExpressionError {
        ExpressionError(expression: text, offset: index, message: message)
    }

    private mutating func skipSpaces() {
        while index < characters.count, characters[index].isWhitespace { index += 1 }
    }

    /// Goes one level deeper, refusing an expression nested past ``maximumNesting``; the caller
    /// comes back up with ``leave()``.
    private mutating func enter() throws(ExpressionError) {
        nesting += 1
        guard nesting <= Self.maximumNesting else {
            throw failure("the expression is nested more than \(Self.maximumNesting) levels deep (brackets, calls, signs, not); write it more simply")
        }
    }

    private mutating func leave() { nesting -= 1 }

    /// Counts one binary operator, refusing an expression with more than ``maximumOperators``.
    private mutating func countOperator() throws(ExpressionError) {
        operators += 1
        guard operators <= Self.maximumOperators else {
            throw failure("the expression has more than \(Self.maximumOperators) operators; split it or write it more simply")
        }
    }

    /// Consumes `symbol` if it comes next.
    private mutating func take(_ symbol: String) -> Bool {
        skipSpaces()
        let symbolCharacters = Array(symbol)
        guard index + symbolCharacters.count <= characters.count,
            Array(characters[index..<index + symbolCharacters.count]) == symbolCharacters
        else { return false }
        // A word operator must not run into a name (`order` is not `or` + `der`).
        if symbol.first!.isLetter, index + symbolCharacters.count < characters.count,
            Self.isNameCharacter(characters[index + symbolCharacters.count])
        {
            return false
        }
        index += symbolCharacters.count
        return true
    }

    private mutating func parseOr() throws(ExpressionError) -> Expression {
        try enter()
        defer { leave() }
        var left = try parseAnd()
        while take("or") {
            try countOperator()
            left = .binary(.or, left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(ExpressionError) -> Expression {
        var left = try parseNot()
        while take("and") {
            try countOperator()
            left = .binary(.and, left, try parseNot())
        }
        return left
    }

    private mutating func parseNot() throws(ExpressionError) -> Expression {
        if take("not") {
            try enter()
            defer { leave() }
            return .unary(.not, try parseNot())
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(ExpressionError) -> Expression {
        let left = try parseConcatenation()
        let comparisons: [(String, Expression.BinaryOperator)] = [
            ("!=", .notEqual), ("<>", .notEqual), ("<=", .lessOrEqual), (">=", .greaterOrEqual), ("=", .equal), ("<", .less), (">", .greater),
        ]
        for (symbol, op) in comparisons where take(symbol) {
            try countOperator()
            return .binary(op, left, try parseConcatenation())
        }
        return left
    }

    private mutating func parseConcatenation() throws(ExpressionError) -> Expression {
        var left = try parseSum()
        while take("&") {
            try countOperator()
            left = .binary(.concatenate, left, try parseSum())
        }
        return left
    }

    private mutating func parseSum() throws(ExpressionError) -> Expression {
        var left = try parseProduct()
        while true {
            if take("+") {
                try countOperator()
                left = .binary(.add, left, try parseProduct())
            } else if take("-") {
                try countOperator()
                left = .binary(.subtract, left, try parseProduct())
            } else {
                return left
            }
        }
    }

    private mutating func parseProduct() throws(ExpressionError) -> Expression {
        var left = try parseUnary()
        while true {
            if take("*") {
                try countOperator()
                left = .binary(.multiply, left, try parseUnary())
            } else if take("/") {
                try countOperator()
                left = .binary(.divide, left, try parseUnary())
            } else {
                return left
            }
        }
    }

    private mutating func parseUnary() throws(ExpressionError) -> Expression {
        if take("-") {
            try enter()
            defer { leave() }
            return .unary(.negate, try parseUnary())
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(ExpressionError) -> Expression {
        skipSpaces()
        guard index < characters.count else { throw failure("the expression ends too early") }
        let c = characters[index]
        if c == "(" {
            index += 1
            let inner = try parseOr()
            guard take(")") else { throw failure("a \")\" is missing") }
            return inner
        }
        if c == "'" || c == "\"" { return .literal(.text(try parseQuoted(c))) }
        if c == "[" {
            index += 1
            let start = index
            while index < characters.count, characters[index] != "]" { index += 1 }
            guard index < characters.count else { throw failure("the column name started with \"[\" is not closed with \"]\"") }
            let name = String(characters[start..<index])
            index += 1
            return .column(name)
        }
        if c.isNumber && c.isASCII { return .literal(.number(try parseNumber())) }
        guard Self.isNameCharacter(c) else { throw failure("unexpected \"\(c)\"") }
        let start = index
        while index < characters.count, Self.isNameCharacter(characters[index]) { index += 1 }
        let name = String(characters[start..<index])
        switch name {
        case "true": return .literal(.bool(true))
        case "false": return .literal(.bool(false))
        case "null": return .literal(.null)
        default: break
        }
        if take("(") {
            guard let function = Function(rawValue: name) else {
                index = start
                throw failure("unknown function \"\(name)\" (known: \(Function.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            var arguments: [Expression] = []
            if !take(")") {
                repeat { arguments.append(try parseOr()) } while take(",")
                guard take(")") else { throw failure("a \")\" or \",\" is missing in the call of \(name)") }
            }
            guard function.arity.contains(arguments.count) else {
                index = start
                let wanted = function.arity.count == 1 ? "\(function.arity.lowerBound)" : "\(function.arity.lowerBound) to \(function.arity.upperBound)"
                throw failure("\(name) takes \(wanted) argument\(function.arity.upperBound == 1 ? "" : "s"), not \(arguments.count)")
            }
            return .call(function, arguments)
        }
        return .column(name)
    }

    private mutating func parseQuoted(_ quote: Character) throws(ExpressionError) -> String {
        let start = index
        index += 1
        var out = ""
        while index < characters.count {
            let c = characters[index]
            index += 1
            if c == quote {
                if index < characters.count, characters[index] == quote {  // a doubled quote is one quote
                    out.append(quote)
                    index += 1
                    continue
                }
                return out
            }
            out.append(c)
        }
        index = start
        throw failure("the text started here is not closed with \(quote)")
    }

    private mutating func parseNumber() throws(ExpressionError) -> Decimal {
        let start = index
        while index < characters.count, characters[index].isASCII, characters[index].isNumber || characters[index] == "." { index += 1 }
        let literal = String(characters[start..<index])
        guard let value = Decimal(string: literal, locale: Locale(identifier: "en_US_POSIX")), literal.filter({ $0 == "." }).count <= 1 else {
            index = start
            throw failure("\"\(literal)\" is not a number (use a decimal point)")
        }
        return value
    }

    static func isNameCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_" || c == "."
    }
}
