import Formats
import Testing
import Validation

@Suite struct ConstraintTests {
    @Test func rejectsRowWithBadEAN() throws {
        let schema = #"{"fields":[{"name":"sku"},{"name":"EAN","type":"string","gtin":true}]}"#
        let result = try check("sku,EAN\nA,4006381333931\nB,4006381333932\nC,96385074\nD,12345\n", schema: schema)
        #expect(codes(result) == ["HV204", "HV204"])
        #expect(result.diagnostics.kept[0].message == "not a valid EAN-13: the check digit (last digit) should be 1")
        #expect(result.diagnostics.kept[0].position.line == 3)
        #expect(result.diagnostics.kept[0].position.column == 2)
        #expect(result.diagnostics.kept[1].message.contains("has 5"))
    }

    @Test func computesGTINCheckDigitsForAllLengths() {
        #expect(GTIN.problem(in: "96385074") == nil)          // EAN-8
        #expect(GTIN.problem(in: "036000291452") == nil)      // UPC-A
        #expect(GTIN.problem(in: "4006381333931") == nil)     // EAN-13
        #expect(GTIN.problem(in: "10012345678902") == nil)    // GTIN-14
        #expect(GTIN.problem(in: "4006381333930") == .wrongCheckDigit(expected: 1))
        #expect(GTIN.problem(in: "40063813339a1") == .notDigits)
    }

    @Test func checksRangesLengthsPatternsAndEnums() throws {
        let schema = #"""
        {"fields":[
          {"name":"qty","type":"integer","constraints":{"minimum":0,"maximum":"100"}},
          {"name":"code","type":"string","constraints":{"minLength":2,"maxLength":4,"pattern":"[A-Z]+"}},
          {"name":"vat","type":"integer","constraints":{"enum":[19,7]}}
        ]}
        """#
        let result = try check("qty,code,vat\n-1,AB,19\n101,AB,7\n5,A,7\n5,ABCDE,7\n5,ab,7\n5,AB,16\n5,AB,07\n", schema: schema)
        #expect(codes(result) == ["HV211", "HV212", "HV209", "HV210", "HV213", "HV214"])
        #expect(result.rowsValid == 1)  // "07" is the integer 7
    }

    @Test func findsDuplicatesAndNamesTheFirstRow() throws {
        let schema = #"{"fields":[{"name":"sku","constraints":{"unique":true}},{"name":"n","type":"integer","constraints":{"unique":true}}]}"#
        let result = try check("sku,n\nA,1\nB,01\nA,3\n", schema: schema)
        #expect(codes(result) == ["HV207", "HV207"])
        #expect(result.diagnostics.kept[0].message == "must be unique, but the same value is in row 2 (line 2)")
        #expect(result.diagnostics.kept[1].field == "sku")
    }

    @Test func checksCompositePrimaryKeysAndImpliesRequired() throws {
        let schema = #"{"fields":[{"name":"sku"},{"name":"store"}],"primaryKey":["sku","store"]}"#
        let result = try check("sku,store\nA,X\nA,Y\nA,X\n,Y\n", schema: schema)
        #expect(codes(result) == ["HV208", "HV206"])
        #expect(result.diagnostics.kept[0].message == "primary key (sku, store) is already in row 2 (line 2)")
        #expect(result.diagnostics.kept[0].value == "A, X")
    }

    @Test func reportsEveryBadCellOfARow() throws {
        let schema = #"{"fields":[{"name":"a","type":"integer"},{"name":"b","type":"date"}]}"#
        let result = try check("a,b\nx,y\n", schema: schema)
        #expect(codes(result) == ["HV205", "HV205"])
        #expect(result.rowsRejected == 1)
    }

    @Test func flagsRowsWithTheWrongNumberOfFieldsOrNULBytes() throws {
        let schema = #"{"fields":[{"name":"a"},{"name":"b"}]}"#
        let result = try check("a,b\n1,2,3\n4\n5,6\n7\u{0},8\n", schema: schema)
        #expect(codes(result) == ["HR103", "HR103", "HR104"])
        #expect(result.rowsValid == 1)
    }
}
