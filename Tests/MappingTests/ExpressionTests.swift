import Foundation
import Mapping
import Testing

struct ExpressionTests {
    static func eval(_ text: String, _ cells: [String: Value] = [:]) throws -> Value {
        try ExpressionParser.parse(text, columns: Set(cells.keys)).evaluate { cells[$0] ?? .null }
    }

    @Test func readsAWholeColumnNameWithSpacesAsThatColumn() throws {
        #expect(try ExpressionParser.parse("VK-Preis brutto", columns: ["VK-Preis brutto"]) == .column("VK-Preis brutto"))
        #expect(try ExpressionParser.parse("[VK-Preis brutto] * 2") == .binary(.multiply, .column("VK-Preis brutto"), .literal(.number(2))))
    }

    @Test func followsOperatorPrecedence() throws {
        #expect(try Self.eval("1 + 2 * 3") == .number(7))
        #expect(try Self.eval("(1 + 2) * 3") == .number(9))
        #expect(try Self.eval("-2 + 5") == .number(3))
        #expect(try Self.eval("1 + 1 = 2 and not false") == .bool(true))
        #expect(try Self.eval("'a' & 1 + 1") == .text("a2"))
    }

    @Test func computesAvailableStockAndPropagatesBlanks() throws {
        #expect(try Self.eval("Bestand - Reserviert", ["Bestand": .number(10), "Reserviert": .number(3)]) == .number(7))
        #expect(try Self.eval("Bestand - Reserviert", ["Bestand": .number(10), "Reserviert": .null]) == .null)
        #expect(try Self.eval("Bestand - coalesce(Reserviert, 0)", ["Bestand": .number(10), "Reserviert": .null]) == .number(10))
    }

    @Test func choosesWithIfAndComparesAcrossKinds() throws {
        let cells: [String: Value] = ["Aktiv": .bool(true), "MwSt": .number(19), "Gruppe": .text("Küche")]
        #expect(try Self.eval("if(Aktiv, 'active', 'draft')", cells) == .text("active"))
        #expect(try Self.eval("MwSt = '19'", cells) == .bool(true), "a number equals its text")
        #expect(try Self.eval("MwSt >= 7 and Gruppe != 'Muster'", cells) == .bool(true))
        #expect(try Self.eval("Gruppe = null", cells) == .bool(false))
    }

    @Test func offersTextFunctions() throws {
        #expect(try Self.eval("upper(trim('  weiß '))") == .text("WEISS"))
        #expect(try Self.eval("slug('Rolle Pinsel Maß – Größe XL')") == .text("rolle-pinsel-mass-groesse-xl"))
        #expect(try Self.eval("concat('A', '-', 7)") == .text("A-7"))
        #expect(try Self.eval("left('Bezeichnung', 3)") == .text("Bez"))
        #expect(try Self.eval("replace('a;b', ';', ',')") == .text("a,b"))
        #expect(try Self.eval("number('1.234,50')") == .number(Decimal(string: "1234.5")!))
        #expect(try Self.eval("round(2.345, 2)") == .number(Decimal(string: "2.35")!))
    }

    @Test func pointsAtSyntaxErrors() {
        #expect(throws: ExpressionError(expression: "upper(Farbe", offset: 11, message: "a \")\" or \",\" is missing in the call of upper")) {
            try ExpressionParser.parse("upper(Farbe")
        }
        #expect(throws: ExpressionError(expression: "uper(Farbe)", offset: 0,
                                        message: "unknown function \"uper\" (known: if, coalesce, concat, upper, lower, trim, replace, left, round, number, text, slug)")) {
            try ExpressionParser.parse("uper(Farbe)")
        }
        #expect(throws: ExpressionError(expression: "'abc", offset: 0, message: "the text started here is not closed with '")) {
            try ExpressionParser.parse("'abc")
        }
        #expect(throws: ExpressionError(expression: "round(1)", offset: 0, message: "round takes 2 arguments, not 1")) {
            try ExpressionParser.parse("round(1)")
        }
    }

    @Test func namesTheValueWhenArithmeticMeetsText() throws {
        #expect(throws: ExpressionError(expression: "", message: "\"viele\" is text, not a number, so - cannot use it")) {
            try Self.eval("Bestand - 1", ["Bestand": .text("viele")])
        }
        #expect(throws: ExpressionError(expression: "", message: "division by zero")) { try Self.eval("1 / 0") }
    }

    /// The fuzzer's first crash: a 4 KB run of unary minus signs (with carriage returns) overflowed
    /// the parser's stack. It must now be a plain error, as must every other way to nest deeply.
    @Test func refusesTheFuzzersDeeplyNestedExpressionWithAnError() throws {
        let input = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Fuzz/regressions/expression-stack-overflow-unary-minus")
        let text = String(decoding: try Data(contentsOf: input), as: UTF8.self)
        #expect(text.count > 4000, "the committed crash input is read")
        for deep in [text, String(repeating: "(", count: 10_000) + "1", String(repeating: "not ", count: 5_000) + "true",
                     String(repeating: "upper(", count: 3_000) + "'a'"] {
            do {
                _ = try ExpressionParser.parse(deep)
                Issue.record("a \(deep.count)-character nested expression was accepted")
            } catch {
                #expect(error.message.contains("nested more than \(ExpressionParser.maximumNesting) levels"), "\(error.message)")
            }
        }
    }

    @Test func refusesAnExpressionWithTooManyOperators() {
        let long = Array(repeating: "1", count: ExpressionParser.maximumOperators + 2).joined(separator: " + ")
        do {
            _ = try ExpressionParser.parse(long)
            Issue.record("an expression with \(ExpressionParser.maximumOperators + 1) operators was accepted")
        } catch {
            #expect(error.message == "the expression has more than \(ExpressionParser.maximumOperators) operators; split it or write it more simply")
        }
    }

    @Test func acceptsExpressionsUpToTheLimits() throws {
        let inner = ExpressionParser.maximumNesting - 1  // the whole expression is the first level
        #expect(try Self.eval(String(repeating: "(", count: inner) + "7" + String(repeating: ")", count: inner)) == .number(7))
        #expect(try Self.eval(String(repeating: "-", count: inner - 1) + "-2") == .number(inner % 2 == 0 ? 2 : -2))
        let sum = Array(repeating: "1", count: ExpressionParser.maximumOperators + 1).joined(separator: " + ")
        #expect(try Self.eval(sum) == .number(Decimal(ExpressionParser.maximumOperators + 1)))
    }
}
