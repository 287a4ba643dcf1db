import Formats
import Testing

@Suite struct CSVWriterTests {
    @Test func roundTripsThroughTheReaderInTheSameDialectAndEncoding() throws {
        var dialect = CSVDialect(delimiter: UInt8(ascii: ";"))
        dialect.encoding = .windows1252
        let rows = [["Artikel", "Text"], ["A-1", "Größe; \"XL\"\nzweite Zeile"], ["A-2", " führend"]]
        let writer = CSVWriter(dialect: dialect)
        let bytes = try rows.flatMap { try writer.encode($0) }
        #expect(bytes.contains(0xF6))  // ö as one Windows-1252 byte
        #expect(try records(bytes, dialect) == rows)
    }

    @Test func refusesCharactersTheCodePageLacks() {
        var dialect = CSVDialect()
        dialect.encoding = .iso8859_1
        #expect(throws: UnencodableCharacter.self) { try CSVWriter(dialect: dialect).encode(["€"]) }
    }

    @Test func neutralisesFormulasInTextCellsButNotInNumericColumns() throws {
        let writer = CSVWriter(dialect: CSVDialect(), protectFormulas: true, numericColumns: [1])
        let line = String(decoding: try writer.encode(["=HYPERLINK(1)", "-12.50", "@x"]), as: UTF8.self)
        #expect(line == "'=HYPERLINK(1),-12.50,'@x\r\n")
    }
}
