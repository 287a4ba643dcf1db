import EDIFACT
import Formats
import Foundation
import Testing

/// The interchange reader's envelope checks: references, counts, missing and misplaced
/// service segments, each with its position and the syntax error code a CONTRL reports.
struct EDIFACTEnvelopeTests {
    private func errors(_ text: String) throws -> [EDIFACTProblem] {
        try read(text).problems.filter { $0.severity == .error }
    }

    @Test func acceptsAWellFormedInterchangeAndHandsOnItsParts() throws {
        let (events, problems) = try read(interchange(["BGM+35+INV-1+9", "LIN+1++4000862141404:SRV", "QTY+145:120"]))
        #expect(problems.isEmpty)
        guard case .interchangeStart(let header) = events.first else { Issue.record("no start"); return }
        #expect(header.sender == PartyIdentification(id: "4012345000009", qualifier: "14"))
        #expect(header.controlReference == "42")
        #expect(header.syntaxIdentifier == "UNOC")
        guard case .messageStart(let message) = events[1] else { Issue.record("no message"); return }
        #expect(message.identification == "INVRPT D96A EAN008")
        let numbers = events.compactMap { event -> Int? in if case .segment(_, let n) = event { n } else { nil } }
        #expect(numbers == [2, 3, 4])
        guard case .messageEnd(_, let valid) = events[5], case .interchangeEnd(_, let whole) = events[6] else {
            Issue.record("no ends: \(events)"); return
        }
        #expect(valid && whole)
    }

    @Test func namesAWrongSegmentCountInUNT() throws {
        let text = interchange(["BGM+35+INV-1+9"]).replacingOccurrences(of: "UNT+3+1", with: "UNT+4+1")
        let found = try errors(text)
        #expect(found.count == 1)
        #expect(found[0].syntaxErrorCode == 29)
        #expect(found[0].tag == "UNT" && found[0].element == 1)
        #expect(found[0].scope == .message(reference: "1"))
        #expect(found[0].message.contains("counts 4 segments") && found[0].message.contains("has 3"))
        #expect(found[0].position.line == 5)
        #expect(found[0].segmentInMessage == 3)
    }

    @Test func namesTrailerReferencesThatDifferFromTheirHeaders() throws {
        var text = interchange(["BGM+35+INV-1+9"]).replacingOccurrences(of: "UNT+3+1", with: "UNT+3+2")
        text = text.replacingOccurrences(of: "UNZ+1+42", with: "UNZ+1+43")
        let found = try errors(text)
        #expect(found.map(\.syntaxErrorCode) == [28, 28])
        #expect(found.map(\.tag) == ["UNT", "UNZ"])
        #expect(found[1].scope == .interchange)
        #expect(found[1].message.contains("\"43\"") && found[1].message.contains("\"42\""))
    }

    @Test func countsMessagesOrGroupsInUNZ() throws {
        let two = interchange(["BGM+35+A+9"]).replacingOccurrences(of: "UNZ+1+42", with: "UNH+2+INVRPT:D:96A:UN'\nUNT+2+2'\nUNZ+1+42")
        #expect(try errors(two).map(\.message) == ["UNZ counts 1 messages, but interchange 42 has 2"])
        let grouped = """
            UNB+UNOC:3+S+R+261207:1015+7'UNG+INVRPT+S+R+261207:1015+G1+UN+D:96A'UNH+1+INVRPT:D:96A:UN'UNT+2+1'\
            UNH+2+INVRPT:D:96A:UN'UNT+2+2'UNE+2+G1'UNZ+1+7'
            """
        #expect(try errors(grouped).isEmpty)
        let wrongGroup = grouped.replacingOccurrences(of: "UNE+2+G1", with: "UNE+1+G2")
        #expect(try errors(wrongGroup).map(\.syntaxErrorCode) == [29, 28])
    }

    @Test func refusesGroupsAndMessagesMixed() throws {
        let text = "UNB+UNOC:3+S+R+261207:1015+7'UNH+1+INVRPT:D:96A:UN'UNT+2+1'UNG+INVRPT+S+R+261207:1015+G1+UN+D:96A'UNE+0+G1'UNZ+2+7'"
        #expect(try errors(text).contains { $0.syntaxErrorCode == 30 })
    }

    @Test func namesAMissingUNTAndUNZWhereTheyWereDue() throws {
        let text = "UNB+UNOC:3+S+R+261207:1015+7'\nUNH+1+INVRPT:D:96A:UN'\nBGM+35+A+9'\nUNH+2+INVRPT:D:96A:UN'\nUNT+2+2'\n"
        let (events, problems) = try read(text)
        #expect(problems.map(\.message) == ["message 1 (INVRPT) has no UNT before UNH", "interchange 7 has no UNZ (the file ends)"])
        #expect(problems[0].position.line == 4)
        #expect(problems.allSatisfy { $0.syntaxErrorCode == 13 })
        let ends = events.compactMap { event -> Bool? in if case .messageEnd(_, let valid) = event { valid } else { nil } }
        #expect(ends == [false, true])
    }

    @Test func refusesSegmentsOutsideAnyMessageAndTrailersWithoutHeaders() throws {
        let text = "UNB+UNOC:3+S+R+261207:1015+7'BGM+35+A+9'UNT+2+1'UNZ+0+7'"
        let found = try errors(text)
        #expect(found.map(\.syntaxErrorCode) == [33, 33])
        #expect(found.map(\.tag) == ["BGM", "UNT"])
    }

    @Test func namesMissingPartsOfTheServiceSegments() throws {
        let text = "UNB+UNOC:3+S++261207+7'UNH++INVRPT:D'UNT+2+'UNZ+1+7'"
        let found = try errors(text).map { "\($0.tag ?? "") \($0.element ?? 0):\($0.component ?? 0) \($0.syntaxErrorCode)" }
        #expect(found == ["UNB 3:1 13", "UNB 4:2 13", "UNH 1:1 13", "UNH 2:3 13", "UNH 2:4 13"])
    }

    @Test func reportsAMessageWithoutInterchangeOnce() throws {
        let text = "UNH+1+ORDERS:D:96A:UN'BGM+220+A'UNT+3+1'UNH+2+ORDERS:D:96A:UN'UNT+2+2'"
        let found = try errors(text)
        #expect(found.map(\.message) == ["message without an interchange: no UNB before UNH"])
    }

    @Test func warnsOfASyntaxIdentifierItDoesNotKnow() throws {
        let (_, problems) = try read("UNB+IATB:1+S+R+261207:1015+7'UNH+1+PAORES:93:1:IA'UNT+2+1'UNZ+1+7'")
        #expect(problems.count == 1)
        #expect(problems[0].severity == .warning && problems[0].message.contains("IATB"))
    }

    @Test func keepsAtMostTheConfiguredNumberOfProblems() throws {
        let text = "UNB+UNOC:3+S+R+261207:1015+7'" + String(repeating: "BGM+1'", count: 50) + "UNZ+0+7'"
        var reader = EDIFACTInterchangeReader(source: MemorySource(Array(text.utf8)), maximumProblems: 10)
        while try reader.next() != nil {}
        #expect(reader.problems.count == 10)
        #expect(reader.problemsLeftOut == 40)
    }

    @Test func reportsAFileWithoutSegments() throws {
        #expect(try errors(" \r\n").map(\.message) == ["the file holds no segments"])
    }
}
