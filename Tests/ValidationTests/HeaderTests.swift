import Formats
import Foundation
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

    @Test func readsLinesThatEndWithADelimiter() throws {
        let result = try check("sku;qty;store;\nA;1;X;\nB;2;Y\n", schema: schema, delimiter: ";")
        #expect(result.diagnostics.isEmpty)
        #expect(result.header == ["sku", "qty", "store"])
        #expect(result.rowsValid == 2)
    }

    @Test func rejectsAValueAfterTheLastColumnWhenLinesEndWithADelimiter() throws {
        let result = try check("sku;qty;store;\nA;1;X;\nB;2;Y;oops\n", schema: schema, delimiter: ";")
        #expect(codes(result) == ["HR103"])
        let problem = try #require(result.diagnostics.kept.first)
        #expect(problem.position.row == 3 && problem.position.column == 4 && problem.value == "oops")
        #expect(result.rowsValid == 1 && result.rowsRejected == 1)
    }

    @Test func refusesTheBlankLastColumnWhenTrailingDelimitersAreOff() throws {
        let result = try check("sku;qty;store;\nA;1;X;\n", schema: schema, delimiter: ";", trailingDelimiter: .never)
        #expect(codes(result) == ["HV202"])
        #expect(result.fileError)
    }

    @Test func readsTrailingDelimitersInFilesWithoutAHeaderWhenAsked() throws {
        var result = try check("A;1;X;\nB;2;Y\n", schema: schema, delimiter: ";", header: false, trailingDelimiter: .always)
        #expect(result.diagnostics.isEmpty && result.rowsValid == 2)
        result = try check("A;1;X;\n", schema: schema, delimiter: ";", header: false)
        #expect(codes(result) == ["HR103"])
    }
}

/// A UTF-8 export read in a flow set to windows-1252 is named, not archived garbled.
@Suite struct EncodingMismatchTests {
    let schema = #"{"fields":[{"name":"sku"},{"name":"Größe"}]}"#

    func check(bytes: [UInt8]) throws -> TableCheckResult {
        let schema = try TableSchema.parse(Data(self.schema.utf8), source: "s.json")
        var dialect = CSVDialect(delimiter: UInt8(ascii: ";"))
        dialect.encoding = .windows1252
        return try CSVTableCheck.run(source: MemorySource(bytes), dialect: dialect, schema: schema, file: "a.csv")
    }

    @Test func failsAUTF8FileInAWindows1252FlowAndSaysItLooksLikeUTF8() throws {
        let result = try check(bytes: Array("sku;Größe\nA;groß\nB;klein\n".utf8).map { $0 })
        #expect(result.fileError)
        #expect(codes(result).contains("HR110"))
        let problem = try #require(result.diagnostics.kept.first { $0.code == .looksLikeUTF8 })
        #expect(problem.message.hasPrefix("this looks like UTF-8, but the flow reads windows-1252"))
        #expect(problem.message.contains("\"ö\", which windows-1252 would read as \"Ã¶\""))
        #expect(problem.position.byteOffset == 6)
    }

    @Test func namesUTF8WhenOnlyTheRowsHoldUmlauts() throws {
        let ascii = #"{"fields":[{"name":"sku"},{"name":"title"}]}"#
        let schema = try TableSchema.parse(Data(ascii.utf8), source: "s.json")
        var dialect = CSVDialect(delimiter: UInt8(ascii: ";"))
        dialect.encoding = .windows1252
        let result = try CSVTableCheck.run(
            source: MemorySource(Array("sku;title\nA;Müsli\nB;Tee\n".utf8)), dialect: dialect, schema: schema, file: "a.csv")
        #expect(codes(result) == ["HR110"])
        #expect(result.fileError)
    }

    @Test func readsARealWindows1252FileWithoutComplaint() throws {
        // "Größe" and "groß" in windows-1252: ö = F6, ß = DF, never valid UTF-8 on their own.
        let bytes: [UInt8] = Array("sku;Gr".utf8) + [0xF6, 0xDF] + Array("e\nA;gro".utf8) + [0xDF] + Array("\n".utf8)
        let result = try check(bytes: bytes)
        #expect(result.diagnostics.isEmpty)
        #expect(result.rowsValid == 1)
    }
}
