import Formats
import Testing

@Suite struct DiagnosticFormatterTests {
    @Test func rendersOneCompilerStyleLine() {
        let diagnostic = Diagnostic(
            .badCheckDigit, at: Position(file: "inbox/stock/stock-0501.csv", line: 14, column: 4),
            field: "EAN", value: "4001234567891", rule: "gtin", message: "not a valid EAN-13 (check digit should be 0)")
        #expect(
            DiagnosticFormatter.line(for: diagnostic)
                == "inbox/stock/stock-0501.csv:14:4: error HV204: field \"EAN\" = \"4001234567891\": not a valid EAN-13 (check digit should be 0)")
    }

    @Test func escapesControlCharactersAndCutsLongValues() {
        #expect(DiagnosticFormatter.escaped("a\u{1B}[31m\nb") == "a\\u{1b}[31m\\nb")
        #expect(DiagnosticFormatter.escaped(String(repeating: "x", count: 200)).count == 81)
    }

    @Test func everyCodeIsUniqueAndExplained() {
        let codes = DiagnosticCode.allCases.map(\.rawValue)
        #expect(Set(codes).count == codes.count)
        for code in DiagnosticCode.allCases {
            #expect(!code.title.isEmpty && !code.remedy.isEmpty)
        }
    }
}
