import EDIFACT
import Formats
import Testing

struct EDIFACTWriterTests {
    @Test func releasesServiceCharactersInsideValues() throws {
        let writer = EDIFACTWriter(lineBreaks: false)
        let bytes = try writer.bytes(of: EDIFACTSegment("FTX", [["AAA"], [], [], ["It's 5+2:1 ? done"]]))
        #expect(String(decoding: bytes, as: UTF8.self) == "FTX+AAA+++It?'s 5?+2?:1 ?? done'")
        #expect(String(decoding: writer.una, as: UTF8.self) == "UNA:+.? '")
    }

    @Test func encodesInTheChosenCharsetAndRefusesWhatItLacks() throws {
        let segment = EDIFACTSegment("IMD", [["F"], [], ["", "", "", "Bär €"]])
        let utf8 = try EDIFACTWriter(charset: .utf8, lineBreaks: false).bytes(of: segment)
        #expect(String(decoding: utf8, as: UTF8.self) == "IMD+F++:::Bär €'")
        let latin9 = try EDIFACTWriter(charset: .iso8859(part: 15), lineBreaks: false).bytes(of: segment)
        #expect(latin9.suffix(6) == [0x42, 0xE4, 0x72, 0x20, 0xA4, 0x27])
        #expect(throws: EDIFACTWriteError.self) { try EDIFACTWriter(charset: .iso8859(part: 1)).bytes(of: segment) }
        #expect(throws: EDIFACTWriteError.self) { try EDIFACTWriter(charset: .levelA).bytes(of: EDIFACTSegment("FTX", [["a"]])) }
    }

    @Test func whatItWritesReadsBackAsTheSameSegments() throws {
        let original = [
            EDIFACTSegment("UNB", [["UNOC", "3"], ["S"], ["R"], ["261207", "1015"], ["9"]]),
            EDIFACTSegment("FTX", [["AAA"], [""], [""], ["a'b", "c+d", "e:f?"]]),
            EDIFACTSegment("IMD", [["F"], [""], ["", "", "", "Größe ÄÖÜ"]]),
        ]
        for characters in [ServiceCharacters.standard, try ServiceCharacters.fromUNA(Array("*~,! \"".utf8)).get()] {
            let writer = EDIFACTWriter(characters: characters, charset: .iso8859(part: 1))
            var bytes = writer.una
            for segment in original { bytes += try writer.bytes(of: segment) }
            let back = try segments(of: bytes)
            #expect(back.dropFirst().map(\.plainElements) == original.map(\.plainElements))
        }
    }
}
