import Foundation
import Formats
import HafenTesting
import Testing

/// Conformance against other projects' public CSV test files in ../shared/corpus/csv-edge.
@Suite(.enabled(if: SharedFolder.testsEnabled, "../shared is absent; set HAFEN_SHARED or run in CI"))
struct CSVCorpusTests {
    static let spectrum = SharedFolder.file("corpus/csv-edge/csv-spectrum")

    static var spectrumCases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spectrum + "/csvs")) ?? [])
            .filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }.sorted()
    }

    @Test func csvSpectrumIsPresent() {
        #expect(Self.spectrumCases.count >= 12, "csv-spectrum cases missing under \(Self.spectrum)")
    }

    @Test(arguments: spectrumCases)
    func matchesCSVSpectrumExpectations(name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(Self.spectrum)/csvs/\(name).csv")))
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: "\(Self.spectrum)/json/\(name).json")))
        // One upstream file is a bare object instead of an array of them.
        var expected = (json as? [[String: String]]) ?? [json as! [String: String]]
        let parsed = try records(bytes, chunk: 5)
        let header = parsed[0]
        var objects = parsed.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        if name == "location_coordinates" {
            // Upstream's expected phone number differs from its own CSV (1234567890 vs 2095257564).
            expected = expected.map { $0.filter { $0.key != "Contact Phone Number" } }
            objects = objects.map { $0.filter { $0.key != "Contact Phone Number" } }
        }
        if !bytes.contains(UInt8(ascii: "\r")) {
            // newlines_crlf's expectation has CRLF, but the stored input was normalised to LF upstream.
            expected = expected.map { $0.mapValues { $0.replacingOccurrences(of: "\r\n", with: "\n") } }
        }
        #expect(objects == expected)
    }

    @Test(arguments: ["test_default.txt", "test_rfc4180.txt"])
    func matchesCommonsCSVParserExpectations(control: String) throws {
        let dir = SharedFolder.file("corpus/csv-edge/commons-csv/CSVFileParser")
        let lines = try String(contentsOfFile: "\(dir)/\(control)", encoding: .utf8).components(separatedBy: "\n")
        let input = lines[0].split(separator: " ")[0]
        let expected = lines.dropFirst(2).filter { !$0.isEmpty && !$0.hasPrefix("#") }.map { line in
            String(line[line.index(after: line.firstIndex(of: ":")!)...])
        }
        // Commons CSV keeps blank lines as one empty field in the rfc4180 variant; Hafen skips them.
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(input)")))
        let parsed = try records(bytes).map { "[" + $0.joined(separator: ", ") + "]" }
        #expect(parsed == expected.filter { $0 != "[]" })
    }

    @Test func readsMacLineEndingsAndQuotedLineBreaks() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: SharedFolder.file("corpus/csv-edge/csvkit/mac_newlines.csv"))))
        #expect(try records(bytes) == [["a", "b", "c"], ["1", "2", "3"], ["Once upon\ra time", "5", "6"]])
    }

    @Test func flagsTheNULByteInCsvkitsFixture() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: SharedFolder.file("corpus/csv-edge/csvkit/null_byte.csv"))))
        let all = try CSVReader(source: MemorySource(bytes)).readAll()
        #expect(all[1].nulField == 1)
    }

    @Test(arguments: ["csvkit/test_utf16_big.csv", "csvkit/test_utf16_little.csv", "csvkit/test_utf8_bom.csv", "frictionless-py/bom.csv"])
    func readsByteOrderMarkedFilesLikeTheirUTF8Twin(file: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: SharedFolder.file("corpus/csv-edge/\(file)"))))
        let parsed = try records(bytes, CSVDialect(delimiter: nil))
        #expect(parsed.count >= 2)
        #expect(!(parsed[0].first ?? "").hasPrefix("\u{FEFF}"))
        #expect(parsed.allSatisfy { $0.count == parsed[0].count })
    }

    @Test func readsLatin1WhenTold() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: SharedFolder.file("corpus/csv-edge/csvkit/test_latin1.csv"))))
        #expect(readError(bytes)?.code == .invalidEncoding)
        var dialect = CSVDialect()
        dialect.encoding = .iso8859_1
        let parsed = try records(bytes, dialect)
        #expect(parsed.joined().joined().contains("©"))
    }
}
