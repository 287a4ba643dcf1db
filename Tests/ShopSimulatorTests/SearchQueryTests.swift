@testable import ShopSimulator
import Testing

@Suite struct SearchQueryTests {
    @Test func readsTermsJoinedByOrWithQuotedValues() throws {
        let query = try SearchQuery.parse(#"sku:A-1 OR sku:"B 2" OR  sku:"q\"x\\y""#, fields: ["sku"])
        #expect(query.terms == ["sku": ["A-1", "B 2", #"q"x\y"#]])
    }

    @Test func refusesWhatItDoesNotUnderstandInsteadOfGuessing() {
        #expect(throws: SearchQuery.Problem.self) { try SearchQuery.parse("title:x", fields: ["sku"]) }
        #expect(throws: SearchQuery.Problem.self) { try SearchQuery.parse("sku:A AND sku:B", fields: ["sku"]) }
        #expect(throws: SearchQuery.Problem.self) { try SearchQuery.parse(#"sku:"open"#, fields: ["sku"]) }
        #expect(throws: SearchQuery.Problem.self) { try SearchQuery.parse("plain", fields: ["sku"]) }
    }
}
