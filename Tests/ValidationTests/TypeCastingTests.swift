import Formats
import Testing
import Validation

@Suite struct TypeCastingTests {
    @Test(arguments: ["1.234,56", "0,5", "12", "-3,25", "1.000.000,00"])
    func acceptsGermanNumbers(cell: String) throws {
        #expect(try castProblem(cell, field: #"{"name":"name","type":"number","decimalChar":",","groupChar":"."}"#) == nil)
    }

    @Test(arguments: ["12,3,4", "1,234.50", "1.23,4", "abc", "12.34", "1..000"])
    func rejectsNumbersOutsideTheFlowsLocale(cell: String) throws {
        let problem = try #require(try castProblem(cell, field: #"{"name":"name","type":"number","decimalChar":",","groupChar":"."}"#))
        #expect(problem.code == .wrongType)
        #expect(problem.message.contains("1.234,56"))
    }

    @Test func stripsCurrencyTextWhenBareNumberIsFalse() throws {
        #expect(try castProblem("€ 12,50", field: #"{"name":"name","type":"number","decimalChar":",","bareNumber":false}"#) == nil)
        #expect(try castProblem("15 %", field: #"{"name":"name","type":"number","bareNumber":false}"#) == nil)
    }

    @Test func readsGermanDatesAndTimesWithPatterns() throws {
        let field = #"{"name":"name","type":"datetime","format":"%d.%m.%Y %H:%M"}"#
        #expect(try castProblem("31.12.2024 23:59", field: field) == nil)
        #expect(try castProblem("30.02.2024 10:00", field: field)?.code == .wrongType)
        #expect(try castProblem("2024-12-31T23:59:00", field: field)?.message.contains("31.12.2024 23:59") == true)
        #expect(try castProblem("29.02.2024", field: #"{"name":"name","type":"date","format":"%d.%m.%Y"}"#) == nil)
        #expect(try castProblem("29.02.2023", field: #"{"name":"name","type":"date","format":"%d.%m.%Y"}"#) != nil)
    }

    @Test func usesCustomBooleanWords() throws {
        let field = #"{"name":"name","type":"boolean","trueValues":["J","ja"],"falseValues":["N","nein"]}"#
        #expect(try castProblem("ja", field: field) == nil)
        #expect(try castProblem("true", field: field)?.message == "not one of J, ja, N, nein")
    }

    @Test func treatsConfiguredMissingValuesAsNull() throws {
        let schema = #"{"fields":[{"name":"a","type":"integer","constraints":{"required":true}},{"name":"b","type":"integer"}],"missingValues":["","-"]}"#
        let result = try check("a,b\n1,-\n-,2\n", schema: schema)
        #expect(codes(result) == ["HV206"])
        #expect(result.diagnostics.kept[0].position.line == 3)
    }

    @Test func refusesUnsupportedTypesAndFormatsWhenLoading() {
        #expect(throws: SchemaError.self) { try check("a\n1\n", schema: #"{"fields":[{"name":"a","type":"geopoint"}]}"#) }
        #expect(throws: SchemaError.self) { try check("a\n1\n", schema: #"{"fields":[{"name":"a","type":"date","format":"%Q"}]}"#) }
        #expect(throws: SchemaError.self) { try check("a\n1\n", schema: #"{"fields":[{"name":"a","constraints":{"foo":1}}]}"#) }
    }

    @Test func namesTheFieldAndKeyOfABadConstraint() {
        do {
            _ = try check("a\n1\n", schema: #"{"fields":[{"name":"Menge","type":"integer","constraints":{"minimum":"x"}}]}"#)
            Issue.record("expected a schema error")
        } catch let error as SchemaError {
            #expect(error.description.contains("\"Menge\""))
            #expect(error.description.contains("minimum"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
