import Foundation
import HafenTesting
import Testing
import XML

/// The streaming reader: events with paths and lines, records by relative paths, validation
/// while reading, and hostile documents refused with a clear, positioned error in bounded time.
@Suite struct XMLReaderTests {
    static func file(_ text: String, _ name: String = "doc.xml") throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory("xmlreader")
        return (dir, try dir.write(text, to: name))
    }

    static func read(_ path: String, schema: XMLSchema? = nil) throws(XMLError) -> (reader: XMLReader, events: Int) {
        let reader = try XMLReader(path: path, schema: schema)
        var events = 0
        while try reader.next() != nil { events += 1 }
        return (reader, events)
    }

    static let articles = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Artikelexport xmlns="urn:erp:artikel">
          <Artikel nummer="A-1">
            <Bezeichnung>Becher</Bezeichnung>
            <Preis waehrung="EUR">9.90</Preis>
            <EAN>4006381333931</EAN>
            <Merkmal>rot</Merkmal>
            <Merkmal>groß</Merkmal>
          </Artikel>
          <Artikel nummer="A-2"><Bezeichnung><![CDATA[Teller & Tasse]]></Bezeichnung><Preis waehrung="EUR">4.50</Preis><EAN/></Artikel>
        </Artikelexport>
        """

    @Test func readsEachPathOnlyAtItsOwnDepthAndTheRecordsOwnText() throws {
        let (dir, path) = try Self.file("""
            <Export>
              <Posten nr="1"><Zusatz><Preis>1.00</Preis><Lager><Ort>B</Ort></Lager></Zusatz><Preis>2.00</Preis>
                <Lager><Ort>A</Ort><Fach id="7">F</Fach></Lager></Posten>
              <Posten nr="2"/>
              <Posten>nur Text</Posten>
            </Export>
            """)
        defer { withExtendedLifetime(dir) {} }
        let records = XMLRecordReader(reader: try XMLReader(path: path), record: "Posten", paths: ["@nr", "Preis", "Lager/Ort", "Lager/Fach/@id", "."])
        let first = try #require(try records.next())
        #expect(first.values["Preis"] == ["2.00"])
        #expect(first.values["Lager/Ort"] == ["A"])
        #expect(first.values["Lager/Fach/@id"] == ["7"])
        let second = try #require(try records.next())
        #expect(second.path == "/Export/Posten[2]")
        #expect(second.values["@nr"] == ["2"] && second.values["."] == [""] && second.values["Preis"] == nil)
        let third = try #require(try records.next())
        #expect(third.values["."] == ["nur Text"])
        #expect(try records.next() == nil)
    }

    @Test func cutsRecordsWithAttributesChildrenAndRepeatedValues() throws {
        let (dir, path) = try Self.file(Self.articles)
        defer { withExtendedLifetime(dir) {} }
        let records = XMLRecordReader(
            reader: try XMLReader(path: path), record: "Artikel", paths: ["@nummer", "Bezeichnung", "Preis", "Preis/@waehrung", "EAN", "Merkmal"])
        let first = try #require(try records.next())
        #expect(first.index == 1 && first.line == 3)
        #expect(first.path == "/Artikelexport/Artikel")
        #expect(first.values["@nummer"] == ["A-1"])
        #expect(first.values["Preis"] == ["9.90"])
        #expect(first.values["Preis/@waehrung"] == ["EUR"])
        #expect(first.values["Merkmal"] == ["rot", "groß"])
        let second = try #require(try records.next())
        #expect(second.path == "/Artikelexport/Artikel[2]")
        #expect(second.values["Bezeichnung"] == ["Teller & Tasse"])
        #expect(second.values["EAN"] == [""])
        #expect(try records.next() == nil)
    }

    @Test func validatesWhileReadingAndPlacesEachViolation() throws {
        let dir = try TemporaryDirectory("xmlreader")
        try dir.write("""
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:erp:artikel" xmlns="urn:erp:artikel" elementFormDefault="qualified">
              <xs:element name="Artikelexport"><xs:complexType><xs:sequence>
                <xs:element name="Artikel" maxOccurs="unbounded"><xs:complexType><xs:sequence>
                  <xs:element name="Bezeichnung" type="xs:string"/>
                  <xs:element name="Preis"><xs:complexType><xs:simpleContent><xs:extension base="xs:decimal">
                    <xs:attribute name="waehrung" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType></xs:element>
                  <xs:element name="EAN"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="[0-9]{13}"/></xs:restriction></xs:simpleType></xs:element>
                  <xs:element name="Merkmal" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>
                </xs:sequence><xs:attribute name="nummer" type="xs:string" use="required"/></xs:complexType></xs:element>
              </xs:sequence></xs:complexType>
              <xs:unique name="eineNummer"><xs:selector xpath="*"/><xs:field xpath="@nummer"/></xs:unique></xs:element>
            </xs:schema>
            """, to: "artikel.xsd")
        let schema = try XMLSchema(path: dir.file("artikel.xsd"))
        let path = try dir.write(Self.articles, to: "artikel.xml")
        let (reader, _) = try Self.read(path, schema: schema)
        #expect(!reader.isValid)
        #expect(reader.issues.count == 1, "\(reader.issues)")
        let issue = try #require(reader.issues.first)
        #expect(issue.line == 10)
        #expect(issue.path == "/Artikelexport/Artikel[2]/EAN", "\(issue)")
        #expect(issue.message.contains("EAN"))
        let valid = try dir.write(Self.articles.replacingOccurrences(of: "<EAN/>", with: "<EAN>4006381333948</EAN>"), to: "ok.xml")
        #expect(try Self.read(valid, schema: schema).reader.isValid)
    }

    static let hostile: [(name: String, text: String, says: String)] = [
        ("doctype", "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x \"secret\">]>\n<a>&x;</a>\n", "DOCTYPE"),
        ("billion-laughs", """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
            <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
            <lolz>&lol4;</lolz>
            """, "entity reference loop"),
        ("external-entity", "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<a>&x;</a>\n", "DOCTYPE"),
        ("undeclared-entity", "<?xml version=\"1.0\"?>\n<a>&x;</a>\n", "Entity 'x' not defined"),
        ("deep-nesting", "<?xml version=\"1.0\"?>\n" + String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300) + "\n", "depth"),
        ("invalid-utf8", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>caf\u{FFFD}</a>\n", "UTF-8"),
        ("not-closed", "<?xml version=\"1.0\"?>\n<a><b></a>\n", "mismatch"),
        ("quadratic-blowup", "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x \"" + String(repeating: "x", count: 50_000) + "\">]>\n<a>"
            + String(repeating: "&x;", count: 50_000) + "</a>\n", "DOCTYPE"),
        ("declared-encoding-mismatch", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<a>x</a>\n", "labelled UTF-16"),
    ]

    /// Allows any content under `a`, so that only the hostile part can fail.
    static let lenient = """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a"><xs:complexType mixed="true"><xs:sequence>
          <xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element></xs:schema>
        """

    /// With a schema libxml2 routes parse errors differently (its validator sits in the SAX
    /// chain), so every hostile case runs with and without one.
    @Test(arguments: hostile.map(\.name), [false, true])
    func refusesHostileDocumentsWithAPositionedError(_ name: String, validating: Bool) throws {
        let case_ = try #require(Self.hostile.first { $0.name == name })
        let dir = try TemporaryDirectory("xmlreader")
        let schema = validating ? try XMLSchema(path: try dir.write(Self.lenient, to: "lenient.xsd")) : nil
        var bytes = Array(case_.text.utf8)
        if name == "invalid-utf8" {
            // Latin-1 é in a document that declares UTF-8.
            bytes = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>caf".utf8) + [0xE9] + Array("</a>\n".utf8)
        }
        let path = try dir.write(bytes, to: name + ".xml")
        let started = Date()
        do {
            _ = try Self.read(path, schema: schema)
            Issue.record("\(name) was read without an error")
        } catch {
            #expect(error.description.localizedCaseInsensitiveContains(case_.says), "\(error)")
            #expect(error.issues.first?.line != nil, "\(error)")
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func refusesHugeTextAndAttributesInBoundedTime() throws {
        let dir = try TemporaryDirectory("xmlreader")
        let big = String(repeating: "x", count: 11_000_000)
        for (name, text) in [("text", "<a>\(big)</a>"), ("attribute", "<a b=\"\(big)\"/>")] {
            let path = try dir.write("<?xml version=\"1.0\"?>\n" + text + "\n", to: name + ".xml")
            #expect(throws: XMLError.self) { _ = try Self.read(path) }
        }
    }

    /// The corpus's hostile files (entities, external and unparsed entities): none is read.
    @Test func refusesTheCorpusHostileFiles() throws {
        guard SharedFolder.testsEnabled else { print(SharedFolder.skipMessage); return }
        let folder = SharedFolder.file("corpus/xml/hostile/xmlschema-tests")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".xml") }.sorted()
        #expect(files.count == 5)
        for file in files {
            #expect(throws: XMLError.self, "\(file)") { _ = try Self.read(folder + "/" + file) }
        }
    }
}


/// `E1MAKTM[SPRAS_ISO=DE]/MAKTX`: the text of the segment whose language is German, as SAP
/// users read IDocs (several E1MAKTM, one per language).
@Test func choosesAmongRepeatedSegmentsByAChildsText() throws {
    let dir = try TemporaryDirectory("xmlreader")
    let path = try dir.write("""
        <MATMAS05><IDOC><E1MARAM><MATNR>1</MATNR>
          <E1MAKTM><SPRAS_ISO>EN</SPRAS_ISO><MAKTX>Mug, blue</MAKTX></E1MAKTM>
          <E1MAKTM><SPRAS_ISO>DE</SPRAS_ISO><MAKTX>Becher, blau</MAKTX></E1MAKTM>
        </E1MARAM></IDOC>
        <IDOC><E1MARAM><MATNR>2</MATNR><E1MAKTM><MAKTX>Teller</MAKTX><SPRAS_ISO>DE</SPRAS_ISO></E1MAKTM></E1MARAM></IDOC>
        <IDOC><E1MARAM><MATNR>3</MATNR><E1MAKTM><SPRAS_ISO>FR</SPRAS_ISO><MAKTX>Bol</MAKTX></E1MAKTM></E1MARAM></IDOC></MATMAS05>
        """, to: "matmas.xml")
    let german = "E1MAKTM[SPRAS_ISO=DE]/MAKTX"
    let records = XMLRecordReader(reader: try XMLReader(path: path), record: "E1MARAM", paths: ["MATNR", german, "E1MAKTM/MAKTX"])
    var texts: [[String]] = []
    var all: [[String]] = []
    while let record = try records.next() {
        texts.append(record.values[german] ?? [])
        all.append(record.values["E1MAKTM/MAKTX"] ?? [])
    }
    #expect(texts == [["Becher, blau"], ["Teller"], []])
    #expect(all == [["Mug, blue", "Becher, blau"], ["Teller"], ["Bol"]])
}
