import EDIFACT
import Foundation
import Formats
import HafenTesting
import Testing

/// Other projects' EDIFACT files (`../shared/corpus/edifact`): every one reads without a
/// crash, the broken ones with positioned problems, what reads round-trips through the writer,
/// and the segments agree with pydifact's for every file pydifact reads.
@Suite(.enabled(if: SharedFolder.testsEnabled, "../shared is absent; set HAFEN_SHARED or run in CI"))
struct EDIFACTCorpusTests {
    static let folder = SharedFolder.file("corpus/edifact")

    static var files: [String] {
        let names = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String]) ?? []
        return names.filter { name in
            let lower = name.lowercased()
            return [".edi", ".txt", ".ped", ".tra"].contains { lower.hasSuffix($0) }
        }.sorted()
    }

    /// The files whose tokens pydifact and Hafen read differently, each with the reason.
    static let deliberateDifferences: [String: String] = [
        "pydifact/sage_coala.ped":
            "pydifact leaves out what comes before the first UNB (a Sage export's DOC line); Hafen reads it as a segment, which the envelope check reports as outside any message",
    ]

    /// Values compared with pydifact lose their trailing empty components and elements:
    /// pydifact drops an empty last component (`RFF+VA:382324067:'`), Hafen keeps it as read.
    private func trimmed(_ line: String) -> String {
        var elements = line.split(separator: "|", omittingEmptySubsequences: false).map { element in
            var components = element.split(separator: ":", omittingEmptySubsequences: false)
            while components.count > 1, components.last?.isEmpty == true { components.removeLast() }
            return components.joined(separator: ":")
        }
        while elements.count > 1, elements.last?.isEmpty == true { elements.removeLast() }
        return elements.joined(separator: "|")
    }

    private func tokens(_ path: String) -> Result<[EDIFACTSegment], EDIFACTSyntaxError> {
        do {
            return .success(try segmentsDecoded([UInt8](Data(contentsOf: URL(fileURLWithPath: path)))))
        } catch let error as EDIFACTSyntaxError {
            return .failure(error)
        } catch {
            Issue.record("\(path): \(error)")
            return .success([])
        }
    }

    @Test func everyFileReadsWithoutACrashAndBrokenOnesArePlaced() throws {
        #expect(Self.files.count >= 40, "the corpus has \(Self.files.count) files")
        for name in Self.files {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.folder + "/" + name)))
            var reader = EDIFACTInterchangeReader(source: MemorySource(bytes))
            var thrown: EDIFACTSyntaxError?
            do { while try reader.next() != nil {} } catch let error as EDIFACTSyntaxError { thrown = error }
            let errors = reader.problems.filter { $0.severity == .error }
            if name.contains("malformed") {
                #expect(thrown != nil || !errors.isEmpty, "\(name) is broken but read as good")
            }
            for problem in errors { #expect(problem.position.segment > 0, "\(name): \(problem)") }
            if let thrown { #expect(thrown.position.segment > 0 && thrown.position.line > 0, "\(name): \(thrown)") }
        }
    }

    @Test func whatReadsRoundTripsThroughTheWriter() throws {
        var roundTripped = 0
        for name in Self.files {
            guard case .success(let read) = tokens(Self.folder + "/" + name), !read.isEmpty else { continue }
            // Written with standard characters (and a repetition separator) in UTF-8, every
            // UNB saying UNOW: every value must come back the same.
            var characters = ServiceCharacters.standard
            characters.repetition = UInt8(ascii: "*")
            let writer = EDIFACTWriter(characters: characters, charset: .utf8)
            var bytes = writer.una
            var expected = read.filter { $0.tag != "UNA" }
            for index in expected.indices where expected[index].tag == "UNB" {
                if expected[index].elements.isEmpty { expected[index].elements = [EDIFACTElement([""])] }
                expected[index].elements[0].components[0] = "UNOW"
            }
            for segment in expected { bytes += try writer.bytes(of: segment) }
            let back = try segmentsDecoded(bytes)
            #expect(plain(back) == plain(expected), "\(name)")
            roundTripped += 1
        }
        #expect(roundTripped >= 35)
    }

    @Test func agreesWithPydifactOnEverySegment() throws {
        let paths = Self.files.map { Self.folder + "/" + $0 }
        let result = try ProcessRunner.run(TestPython.path, [SharedFolder.projectRoot + "/Tests/EDIFACTTests/pydifact_segments.py"] + paths)
        try #require(result.status == 0, "pydifact: \(result.stderr)")
        var compared = 0
        for line in result.stdout.split(separator: "\n") {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let path = try #require(json["file"] as? String)
            let name = String(path.dropFirst(Self.folder.count + 1))
            guard let theirs = json["segments"] as? [[Any]], Self.deliberateDifferences[name] == nil else { continue }
            let theirPlain = theirs.map { segment in
                (segment[0] as? String ?? "") + "|" + ((segment[1] as? [[String]]) ?? []).map { $0.joined(separator: ":") }.joined(separator: "|")
            }
            switch tokens(path) {
            case .success(let ours):
                #expect(plain(ours).map(trimmed) == theirPlain.map(trimmed), "\(name)")
                compared += 1
            case .failure(let error):
                Issue.record("\(name): pydifact reads it, Hafen refuses it: \(error)")
            }
        }
        #expect(compared >= 30, "compared \(compared) files with pydifact")
    }
}
