import EDIFACT
import Formats
import Testing

/// The tokenizer on its own: service characters, the release character, layouts, charsets,
/// chunk boundaries and the limits.
struct EDIFACTTokenizerTests {
    @Test func readsTheDefaultSeparatorsWithoutUNA() throws {
        let found = try segments(of: "UNB+UNOA:3+SENDER+RECIPIENT+261207:1015+1'UNH+1+INVRPT:D:96A:UN'QTY+145:12'UNT+3+1'UNZ+1+1'")
        #expect(plain(found) == ["UNB|UNOA:3|SENDER|RECIPIENT|261207:1015|1", "UNH|1|INVRPT:D:96A:UN", "QTY|145:12", "UNT|3|1", "UNZ|1|1"])
        #expect(found[2].value(1, 2) == "12")
        #expect(found[2].position.segment == 3)
    }

    @Test func honoursTheReleaseCharacterBeforeEveryServiceCharacter() throws {
        let found = try segments(of: "UNA:+.? 'FTX+AAA+++It?'s 5?+2?:1 ?? done?''")
        #expect(found.map(\.tag) == ["UNA", "FTX"])
        #expect(found[1].value(4, 1) == "It's 5+2:1 ? done'")
    }

    @Test func usesTheCharactersUNAAnnounces() throws {
        let found = try segments(of: "UNA*~,! \"UNB~UNOC*3~A~B~261207*1015~7\"FTX~AAA~~~a!~b!*c!!d\"")
        #expect(plain(found) == ["UNB|UNOC:3|A|B|261207:1015|7", "FTX|AAA|||a~b*c!d"])
        #expect(found[1].position.segment == 2)
    }

    @Test func readsOneLineAndPrettyPrintedFilesAlike() throws {
        let oneLine = "UNA:+.? 'UNB+UNOC:3+S+R+261207:1015+9'UNH+1+PRICAT:D:96A:UN'UNT+2+1'UNZ+1+9'"
        let pretty = "UNA:+.? '\r\nUNB+UNOC:3+S+R+261207:1015+9'\r\n  UNH+1+PRICAT:D:96A:UN'\r\n\r\nUNT+2+1'\nUNZ+1+9'\r\n"
        #expect(try plain(segments(of: oneLine)) == plain(segments(of: pretty)))
        let lines = try segments(of: pretty).map(\.position.line)
        #expect(lines == [1, 2, 3, 5, 6])
    }

    @Test func skipsAByteOrderMarkAndWhiteSpaceBeforeUNA() throws {
        let found = try segments(of: [0xEF, 0xBB, 0xBF] + Array(" \r\n\tUNA:+.? 'UNB+UNOC:3+S+R+261207:1015+9'".utf8))
        #expect(found.map(\.tag) == ["UNA", "UNB"])
        #expect(found[1].position.line == 2)
    }

    @Test func readsEverySegmentTheSameAcrossChunkBoundaries() throws {
        let text = interchange(["BGM+35+INV-1+9", "FTX+AAA+++x?'y?+z", "LIN+1++4000862141404:SRV", "QTY+145:120"])
        let whole = try plain(segments(of: text))
        for chunk in [1, 2, 3, 7, 9, 10] {
            #expect(try plain(segments(of: Array(text.utf8), chunk: chunk, bufferSize: 16)) == whole, "chunks of \(chunk) bytes")
        }
    }

    @Test func readsSeveralInterchangesEachWithItsOwnServiceCharacters() throws {
        let text = "UNA:+.? 'UNB+UNOC:3+S+R+261207:1015+1'UNZ+0+1'\nUNA|^.? !UNB^UNOC|3^S^R^261207|1015^2!UNZ^0^2!\nUNB+UNOC:3+S+R+261207:1015+3'UNZ+0+3'"
        let found = try segments(of: text)
        #expect(plain(found) == ["UNB|UNOC:3|S|R|261207:1015|1", "UNZ|0|1", "UNB|UNOC:3|S|R|261207:1015|2", "UNZ|0|2",
                                 "UNB|UNOC:3|S|R|261207:1015|3", "UNZ|0|3"])
    }

    @Test func readsRepeatedElementsWithTheRepetitionSeparator() throws {
        let found = try segments(of: "UNA:+.?*'UNB+UNOC:4+S+R+20261207:1015+1'ALI+DE*AT*CH+X'")
        #expect(found[2].elements[0].components == ["DE"])
        #expect(found[2].elements[0].repetitions == [["AT"], ["CH"]])
        #expect(found[2].value(2) == "X")
    }

    @Test func keepsEmptyElementsAndComponentsInPlace() throws {
        let found = try segments(of: "NAD+BY+++Name::+Street'")
        #expect(found[0].plainElements == [["BY"], [""], [""], ["Name", "", ""], ["Street"]])
        #expect(found[0].given(2) == nil)
        #expect(found[0].value(4, 3) == "")
        #expect(found[0].value(9) == nil)
    }

    @Test func readsSegmentsEndedByTheLineWhenTheFirstLineHasNoTerminator() throws {
        let found = try segments(of: "UNB+UNOA:1+S:14+R:14+180525:2030+2216\r\nUNH+1+IFCSUM:D:01B:UN:EAN003\nBGM+610+1000505549+9\n")
        #expect(plain(found) == ["UNB|UNOA:1|S:14|R:14|180525:2030|2216", "UNH|1|IFCSUM:D:01B:UN:EAN003", "BGM|610|1000505549|9"])
    }

    @Test func readsLevelBsInformationSeparators() throws {
        let bytes = Array("UNB".utf8) + [0x1D] + Array("UNOB".utf8) + [0x1F, 0x33, 0x1D] + Array("s".utf8) + [0x1C]
        let found = try segments(of: bytes)
        #expect(plain(found) == ["UNB|UNOB:3|s"])
    }

    @Test func decodesValuesInTheCharsetTheInterchangeAnnounces() throws {
        // UNOC is ISO 8859-1 (0xE4 ä), UNOD ISO 8859-2 (0xB1 ą), UNOW UTF-8.
        func value(_ identifier: String, _ bytes: [UInt8]) throws -> String? {
            let text = Array("UNB+\(identifier):3+S+R+261207:1015+1'UNH+1+PRICAT:D:96A:UN'IMD+F++:::".utf8) + bytes + Array("'".utf8)
            var reader = EDIFACTInterchangeReader(source: MemorySource(text))
            while let event = try reader.next() {
                if case .segment(let segment, _) = event, segment.tag == "IMD" { return segment.value(3, 4) }
            }
            return nil
        }
        #expect(try value("UNOC", [0x42, 0xE4, 0x72]) == "Bär")
        #expect(try value("UNOD", [0xB1]) == "ą")
        #expect(try value("UNOE", [0xB4]) == "Д")
        #expect(try value("UNOW", [0xC3, 0xA4]) == "ä")
        #expect(try value("UNOY", [0xE2, 0x82, 0xAC]) == "€")
        let error = #expect(throws: EDIFACTSyntaxError.self) { try value("UNOW", [0xC3, 0x28]) }
        #expect(error?.position.segment == 3)
        #expect(error?.element == 3 && error?.component == 4)
        #expect(error?.message.contains("UTF-8") == true)
    }

    @Test func warnsOfALowerCaseLetterUnderUNOAAndKeepsIt() throws {
        let (events, problems) = try read("UNB+UNOA:3+S+R+261207:1015+1'UNH+1+PRICAT:D:96A:UN'IMD+F++:::Becher'IMD+F++:::Tasse'UNT+4+1'UNZ+1+1'")
        #expect(problems.count == 1)
        #expect(problems.first?.severity == .warning)
        #expect(problems.first?.code == .edifactCharacter)
        #expect(problems.first?.message.contains("\"e\"") == true)
        #expect(problems.first?.element == 3 && problems.first?.component == 4)
        let values = events.compactMap { event -> String? in
            if case .segment(let segment, _) = event { return segment.value(3, 4) } else { return nil }
        }
        #expect(values == ["Becher", "Tasse"])
    }

    @Test func refusesWhatItCannotReadWithThePlace() throws {
        let cases: [(String, Int, String)] = [
            ("UNB+UNOC:3+S+R+261207:1015+1'UNH+1+X'QTY+1:2", 3, "terminator"),
            ("UNB+UNOC:3+S+R+261207:1015+1'\nqty+1:2'", 2, "not a segment tag"),
            ("UNB+UNOC:3+S+R+261207:1015+1'FTX+AAA?", 2, "release character"),
            ("UNA:::? 'UNB+UNOC:3'", 1, "same character"),
            ("UNA:+", 1, "six service characters"),
            ("UNB+UNOC:3+S\u{0}X'", 1, "NUL"),
        ]
        for (text, segment, words) in cases {
            let error = #expect(throws: EDIFACTSyntaxError.self) { try segments(of: text) }
            #expect(error?.position.segment == segment, "\(text)")
            #expect(error?.message.contains(words) == true, "\(error?.message ?? "") for \(text)")
        }
    }

    @Test func boundsSegmentsElementsAndComponents() throws {
        let long = "FTX+AAA+++" + String(repeating: "x", count: 70_000) + "'"
        #expect { try segments(of: long) } throws: { ($0 as? EDIFACTSyntaxError)?.syntaxErrorCode == 39 }
        let many = "FTX" + String(repeating: "+a", count: 120) + "'"
        #expect { try segments(of: many) } throws: { ($0 as? EDIFACTSyntaxError)?.message.contains("99 data elements") == true }
        let wide = "FTX+" + String(repeating: "a:", count: 120) + "'"
        #expect { try segments(of: wide) } throws: { ($0 as? EDIFACTSyntaxError)?.message.contains("99 components") == true }
    }
}
