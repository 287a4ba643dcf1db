import Formats
import Testing

@Suite struct EncodingTests {
    @Test func decodesWindows1252IncludingEuroAndUmlauts() throws {
        let bytes: [UInt8] = [0x47, 0x72, 0xF6, 0xDF, 0x65, 0x3B, 0x80, 0x0A]  // "Größe;€"
        var dialect = CSVDialect(delimiter: UInt8(ascii: ";"))
        dialect.encoding = .windows1252
        #expect(try records(bytes, dialect) == [["Größe", "€"]])
    }

    @Test func rejectsBytesThatWindows1252LeavesUndefined() throws {
        var dialect = CSVDialect()
        dialect.encoding = .windows1252
        let error = try #require(readError([0x61, 0x0A, 0x81, 0x0A], dialect))
        #expect(error.code == .invalidEncoding)
        #expect(error.byteOffset == 2)
    }

    @Test func distinguishesISO8859_15FromLatin1() throws {
        var dialect = CSVDialect()
        dialect.encoding = .iso8859_15
        #expect(try records([0xA4, 0x0A], dialect) == [["€"]])
        dialect.encoding = .iso8859_1
        #expect(try records([0xA4, 0x0A], dialect) == [["¤"]])
    }

    @Test func namesTheByteOffsetAndLineOfInvalidUTF8AndSuggestsAnEncoding() throws {
        let bytes = Array("name\nok\nM".utf8) + [0xFC] + Array("ller\n".utf8)
        let error = try #require(readError(bytes))
        #expect(error.code == .invalidEncoding)
        #expect(error.byteOffset == 9)
        #expect(error.line == 3)
        #expect(error.message.contains("windows-1252"))
    }

    @Test func acceptsMultiByteUTF8SplitAcrossChunks() throws {
        let text = "ä€😀,x\n"
        for chunk in 1...5 {
            #expect(try records(text, chunk: chunk) == [["ä€😀", "x"]])
        }
    }

    @Test func rejectsOverlongAndSurrogateUTF8() throws {
        #expect(readError([0xC0, 0xAF, 0x0A])?.code == .invalidEncoding)
        #expect(readError([0xED, 0xA0, 0x80, 0x0A])?.code == .invalidEncoding)
        #expect(readError([0x61, 0xE2, 0x82])?.code == .invalidEncoding)  // truncated at the end
    }

    @Test func dropsAUTF8ByteOrderMark() throws {
        #expect(try records([0xEF, 0xBB, 0xBF] + Array("id,x\n".utf8)) == [["id", "x"]])
    }

    @Test func followsAUTF16ByteOrderMarkInEitherOrder() throws {
        let text = "a;ü\n1;😀\n"
        let le: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let be: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let dialect = CSVDialect(delimiter: UInt8(ascii: ";"))
        #expect(try records(le, dialect, chunk: 3) == [["a", "ü"], ["1", "😀"]])
        #expect(try records(be, dialect, chunk: 3) == [["a", "ü"], ["1", "😀"]])
    }

    @Test func parsesEncodingNamesAndAliases() {
        #expect(TextEncoding(name: "CP1252") == .windows1252)
        #expect(TextEncoding(name: "latin1") == .iso8859_1)
        #expect(TextEncoding(name: "Latin-9") == .iso8859_15)
        #expect(TextEncoding(name: "utf-8-sig") == .utf8)
        #expect(TextEncoding(name: "ebcdic") == nil)
    }
}
