import Formats
import Testing
import Validation

@Suite struct HeaderTests {
    let schema = #"{"fields":[{"name":"sku"},{"name":"qty","type":"integer"},{"name":"store"}]}"#

    @Test func namesMissingExtraAndMisnamedColumns() throws {
        var result = try check("sku,qty\n", schema: schema)
        #expect(codes(result) == ["HV201"])
        #expect(result.diagnostics.kept[0].field == "store")
        result = try check("sku,qty,store,note\n", schema: schema)
        #expect(codes(result) == ["HV202"])
        result = try check("sku,menge,store\n1,2,3\n", schema: schema)
        #expect(codes(result) == ["HV215"])
        #expect(result.fileError && result.rowsRead == 0)
    }

    @Test func reportsDuplicateColumnNames() throws {
        let result = try check("sku,qty,sku\n", schema: #"{"fields":[{"name":"sku"},{"name":"qty"},{"name":"sku2"}],"fieldsMatch":"subset"}"#)
        #expect(codes(result).contains("HV203"))
    }

    @Test func suggestsTheDelimiterWhenTheHeaderIsOneColumn() throws {
        let result = try check("sku;qty;store\n", schema: schema)
        #expect(result.diagnostics.kept.last?.message == "expected 3 columns, got 1; is the delimiter right? (read with \",\")")
    }

    @Test func matchesColumnsByNameWhenFieldsMatchAllowsIt() throws {
        let byName = #"{"fields":[{"name":"sku"},{"name":"qty","type":"integer"}],"fieldsMatch":"subset"}"#
        let result = try check("note,qty,sku\nx,notanumber,A\n", schema: byName)
        #expect(codes(result) == ["HV205"])
        #expect(result.diagnostics.kept[0].position.column == 2)
    }

    @Test func reportsAnEmptyFile() throws {
        #expect(codes(try check("", schema: schema)) == ["HR106"])
    }
}
