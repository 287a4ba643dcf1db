import Formats
import Testing

@Suite struct CSVReaderTests {
    @Test func readsQuotedFieldsWithDelimitersQuotesAndNewlines() throws {
        let text = "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n2,\"two\nlines\",z\r\n"
        #expect(try records(text) == [["a", "b", "c"], ["1", "x, y", "say \"hi\""], ["2", "two\nlines", "z"]])
    }

    @Test func knowsTheLineOnWhichEachRecordStarts() throws {
        let text = "h1;h2\n1;\"a\nb\nc\"\n2;x\r\n3;y\r4;z"
        let reader = CSVReader(source: MemorySource(text, chunkLimit: 3), dialect: CSVDialect(delimiter: UInt8(ascii: ";")))
        let all = try reader.readAll()
        #expect(all.map(\.line) == [1, 2, 5, 6, 7])
        #expect(all.map(\.number) == [1, 2, 3, 4, 5])
    }

    @Test func endsRecordsOnCRLFOrLFOrLoneCR() throws {
        #expect(try records("a,b\r\n1,2\n3,4\r5,6") == [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]])
    }

    @Test func skipsBlankLinesButKeepsEmptyFields() throws {
        #expect(try records("a,b\n\n\r\n1,\n,\n\n") == [["a", "b"], ["1", ""], ["", ""]])
    }

    @Test(arguments: [(",", "a,b"), (";", "a;b"), ("\t", "a\tb"), ("|", "a|b")])
    func sniffsTheDelimiterFromTheHeaderLine(delimiter: String, header: String) throws {
        let reader = CSVReader(source: MemorySource(header + "\n1" + delimiter + "2\n"), dialect: CSVDialect(delimiter: nil))
        #expect(try reader.readAll().map(\.fields) == [["a", "b"], ["1", "2"]])
        #expect(reader.dialect.delimiter == Array(delimiter.utf8)[0])
    }

    @Test func sniffingIgnoresDelimitersInsideQuotes() throws {
        let reader = CSVReader(source: MemorySource("\"a,b,c\";d\n1;2\n"), dialect: CSVDialect(delimiter: nil))
        #expect(try reader.readAll().map(\.fields) == [["a,b,c", "d"], ["1", "2"]])
    }

    @Test func supportsAnEscapeCharacterInsteadOfDoubledQuotes() throws {
        let dialect = CSVDialect(escape: UInt8(ascii: "\\"))
        #expect(try records("a,\"x \\\" y\"\n", dialect) == [["a", "x \" y"]])
    }

    @Test func keepsTextAfterAClosingQuoteAsPythonDoes() throws {
        #expect(try records("\"ab\"c,d\n") == [["abc", "d"]])
    }

    @Test func reportsAnUnclosedQuoteAtItsOpeningLineAndField() throws {
        let error = try #require(readError(Array("a,b\n1,2\n3,\"open\n4,5\n".utf8)))
        #expect(error.code == .unbalancedQuote)
        #expect(error.line == 3)
        #expect(error.column == 2)
    }

    @Test func capsRecordLengthSoAHugeLineCannotExhaustMemory() throws {
        var dialect = CSVDialect()
        dialect.maxRecordBytes = 100
        let error = try #require(readError(Array(("a\n" + String(repeating: "x", count: 1000) + "\n").utf8), dialect))
        #expect(error.code == .recordTooLong)
        #expect(error.line == 2)
    }

    @Test func marksRecordsContainingNULBytes() throws {
        let reader = CSVReader(source: MemorySource([UInt8]("a,b\n".utf8) + [0x31, 0x00, 0x2C, 0x32, 0x0A]))
        let all = try reader.readAll()
        #expect(all[0].nulField == nil)
        #expect(all[1].nulField == 1)
    }

    @Test func readsOneMillionRowsWithoutHoldingThem() throws {
        // Memory stays flat: the reader keeps one chunk and one record (the benchmark measures RSS).
        var text = "sku;qty\n"
        for i in 0..<2000 { text += "A-\(i);\(i)\n" }
        let reader = CSVReader(source: MemorySource(text, chunkLimit: 1000), dialect: CSVDialect(delimiter: UInt8(ascii: ";")))
        var count = 0
        while let record = try reader.next() {
            #expect(record.count == 2)
            count += 1
        }
        #expect(count == 2001)
    }
}
