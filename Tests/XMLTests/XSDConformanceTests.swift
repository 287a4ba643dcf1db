import Foundation
import HafenTesting
import Testing
import XML

/// The corpus's XSD + XML pairs (expected error counts in the file names) get the same verdict
/// and the same number of violations from Hafen's streaming validation as from `xmllint
/// --stream --schema` (libxml2's own tool, which `make test` installs).
@Suite(.enabled(if: SharedFolder.testsEnabled, "../shared is absent; set HAFEN_SHARED or run in CI"))
struct XSDConformanceTests {
    static let folder = SharedFolder.file("corpus/xml/xsd-pairs/xmlschema-tests")

    /// Each document with the schema it names (`xsi:schemaLocation`), else the `.xsd` of its name.
    static func pairs() throws -> [(xml: String, xsd: String)] {
        var pairs: [(String, String)] = []
        for group in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
            let dir = folder + "/" + group
            for file in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() where file.hasSuffix(".xml") {
                let text = try String(contentsOfFile: dir + "/" + file, encoding: .isoLatin1)
                var xsd = String(file.dropLast(4)) + ".xsd"
                if let range = text.range(of: #"schemaLocation="[^"]*""#, options: .regularExpression) {
                    xsd = String(text[range].dropFirst("schemaLocation=\"".count).dropLast()).split(separator: " ").last.map(String.init) ?? xsd
                }
                pairs.append((dir + "/" + file, dir + "/" + xsd))
            }
        }
        return pairs
    }

    /// xmllint's verdict and violation count.
    static func xmllint(_ xml: String, _ xsd: String) throws -> (valid: Bool, errors: Int) {
        let result = try ProcessRunner.run("/usr/bin/env", ["xmllint", "--noout", "--stream", "--nonet", "--schema", xsd, xml], in: "/tmp")
        let errors = result.stderr.components(separatedBy: "\n").filter { $0.contains("Schemas validity error") }.count
        return (result.status == 0, errors)
    }

    @Test func givesXmllintsVerdictOnEveryPair() throws {
        let pairs = try Self.pairs()
        #expect(pairs.count >= 19)
        var compared = 0
        for (xml, xsd) in pairs {
            let name = (xml as NSString).lastPathComponent
            let lint = try Self.xmllint(xml, xsd)
            let schema: XMLSchema
            do {
                schema = try XMLSchema(path: xsd)
            } catch {
                #expect(!lint.valid, "\(name): Hafen cannot compile \((xsd as NSString).lastPathComponent) but xmllint validated: \(error)")
                continue
            }
            var valid = true
            var count = 0
            do {
                let reader = try XMLReader(path: xml, schema: schema)
                while try reader.next() != nil {}
                valid = reader.isValid
                count = reader.issues.count
            } catch {
                valid = false
                count = error.issues.count
            }
            #expect(valid == lint.valid, "\(name): Hafen \(valid ? "valid" : "invalid"), xmllint \(lint.valid ? "valid" : "invalid")")
            // xmllint counts only validity errors; where it stopped on something else, the verdict alone is compared.
            if lint.valid || lint.errors > 0 { #expect(count == lint.errors, "\(name): Hafen \(count) violations, xmllint \(lint.errors)") }
            if let range = name.range(of: #"-(\d+)_errors?\.xml$"#, options: .regularExpression) {
                let expected = Int(name[range].dropFirst().prefix { $0.isNumber }) ?? 0
                #expect(!valid, "\(name) names \(expected) errors but was valid")
            }
            compared += 1
        }
        #expect(compared >= 15)
    }

    @Test func readsTheCorpusIDocAndBusinessSamplesWithoutError() throws {
        for folder in ["idoc", "soap/sap-b2b", "xml/sap-b2b-gs1"] {
            let root = SharedFolder.file("corpus/" + folder)
            let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".xml") } ?? []
            #expect(!files.isEmpty, "\(folder) has no XML files")
            for file in files {
                let reader = try XMLReader(path: root + "/" + file)
                var elements = 0
                while let event = try reader.next() { if case .start = event { elements += 1 } }
                #expect(elements > 0, "\(folder)/\(file)")
            }
        }
    }
}
