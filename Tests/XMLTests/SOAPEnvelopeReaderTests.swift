import Foundation
import HafenTesting
import Testing
import XML

/// SOAP dumps: payloads of 1.1 and 1.2 envelopes, several in one file or in a MIME message,
/// validated against the payload's XSD; faults collected with code and reason.
@Suite struct SOAPEnvelopeReaderTests {
    static let payloadXSD = """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:erp:bestand" xmlns="urn:erp:bestand" elementFormDefault="qualified">
          <xs:element name="BestandMeldung"><xs:complexType><xs:sequence>
            <xs:element name="Posten" maxOccurs="unbounded"><xs:complexType><xs:sequence>
              <xs:element name="Menge" type="xs:nonNegativeInteger"/>
            </xs:sequence><xs:attribute name="artikel" type="xs:string" use="required"/></xs:complexType></xs:element>
          </xs:sequence></xs:complexType></xs:element>
        </xs:schema>
        """

    /// Three envelopes as a dump tool writes them: 1.1 with a header and a declaration, a
    /// comment, 1.2 without a declaration, and 1.1 again with a bad quantity.
    static let dump = """
        <?xml version="1.0" encoding="UTF-8"?>
        <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
          <soap:Header><sec:Token xmlns:sec="urn:x:security">abc</sec:Token></soap:Header>
          <soap:Body>
            <BestandMeldung xmlns="urn:erp:bestand"><Posten artikel="A-1"><Menge>5</Menge></Posten></BestandMeldung>
          </soap:Body>
        </soap:Envelope>
        <!-- call 2, 2026-11-23 10:00 -->
        <env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>
            <b:BestandMeldung xmlns:b="urn:erp:bestand"><b:Posten artikel="A-2"><b:Menge>7</b:Menge></b:Posten></b:BestandMeldung>
        </env:Body></env:Envelope>
        <?xml version="1.0"?>
        <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
            <BestandMeldung xmlns="urn:erp:bestand">
              <Posten artikel="A-3"><Menge>drei</Menge></Posten>
            </BestandMeldung>
        </soap:Body></soap:Envelope>

        """

    static func write(_ text: String, _ name: String = "dump.xml") throws -> (dir: TemporaryDirectory, path: String) {
        let dir = try TemporaryDirectory("soap")
        return (dir, try dir.write(text, to: name))
    }

    static func records(_ reader: SOAPEnvelopeReader) throws(XMLError) -> [XMLRecordReader.Record] {
        let records = XMLRecordReader(reader: reader, record: "Posten", paths: ["@artikel", "Menge"])
        var all: [XMLRecordReader.Record] = []
        while let record = try records.next() { all.append(record) }
        return all
    }

    @Test func readsThePayloadsOfSeveralEnvelopesAndPlacesAViolationInTheThird() throws {
        let (dir, path) = try Self.write(Self.dump)
        defer { withExtendedLifetime(dir) {} }
        let schema = try XMLSchema(soapPayload: try dir.write(Self.payloadXSD, to: "bestand.xsd"))
        let reader = try SOAPEnvelopeReader(path: path, schema: schema)
        let records = try Self.records(reader)
        #expect(reader.envelopes == 3)
        #expect(records.map { $0.values["@artikel"] ?? [] } == [["A-1"], ["A-2"], ["A-3"]])
        #expect(records.map(\.line) == [5, 10, 15])
        #expect(records[1].path == "/Envelope[2]/Body/BestandMeldung/Posten")
        #expect(reader.faults.isEmpty)
        let issue = try #require(reader.issues.first)
        #expect(reader.issues.count == 1, "\(reader.issues)")
        #expect(issue.line == 15 && issue.path == "/Envelope[3]/Body/BestandMeldung/Posten/Menge", "\(issue)")
        #expect(issue.message.contains("nonNegativeInteger"), "\(issue)")
    }

    @Test func refusesABodyElementThePayloadSchemaDoesNotDeclare() throws {
        let (dir, path) = try Self.write("""
            <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
              <Preisliste xmlns="urn:erp:bestand"/>
            </soap:Body></soap:Envelope>
            """)
        defer { withExtendedLifetime(dir) {} }
        let schema = try XMLSchema(soapPayload: try dir.write(Self.payloadXSD, to: "bestand.xsd"))
        let reader = try SOAPEnvelopeReader(path: path, schema: schema)
        _ = try Self.records(reader)
        #expect(reader.issues.first?.line == 2, "\(reader.issues)")
        #expect(reader.issues.first?.message.contains("Preisliste") == true, "\(reader.issues)")
    }

    @Test func collectsFaultsOfBothVersionsWithCodeAndReason() throws {
        let (dir, path) = try Self.write("""
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>
              <faultcode>s:Server</faultcode><faultstring>Mandant 100 gesperrt</faultstring><detail><e>E-42</e></detail>
            </s:Fault></s:Body></s:Envelope>
            <e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><e:Fault>
              <e:Code><e:Value>e:Sender</e:Value><e:Subcode><e:Value>m:Timeout</e:Value></e:Subcode></e:Code>
              <e:Reason><e:Text xml:lang="de">Zeitüberschreitung</e:Text></e:Reason>
            </e:Fault></e:Body></e:Envelope>
            """)
        defer { withExtendedLifetime(dir) {} }
        let reader = try SOAPEnvelopeReader(path: path)
        #expect(try Self.records(reader).isEmpty)
        #expect(reader.faults.map(\.code) == ["s:Server", "e:Sender / m:Timeout"])
        #expect(reader.faults.map(\.reason) == ["Mandant 100 gesperrt", "Zeitüberschreitung"])
        #expect(reader.faults.first?.detail == "E-42")
        #expect(reader.faults.map(\.line) == [1, 4])
        #expect(reader.faults.last?.path == "/Envelope[2]/Body/Fault")
    }

    @Test func readsTheXMLPartOfAMIMEMessageAndPassesOverAttachments() throws {
        let binary = String(repeating: "\u{1}\u{2}<<>>--x ", count: 2000)
        let (dir, path) = try Self.write("""
            --MIME_boundary\r
            Content-Type: application/xop+xml; charset=UTF-8; type="text/xml"\r
            Content-ID: <root>\r
            \r
            <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>\r
            <BestandMeldung xmlns="urn:erp:bestand"><Posten artikel="M-1"><Menge>1</Menge></Posten></BestandMeldung>\r
            </soap:Body></soap:Envelope>\r
            --MIME_boundary\r
            Content-Type: application/octet-stream\r
            \r
            \(binary)\r
            --MIME_boundary--\r

            """)
        defer { withExtendedLifetime(dir) {} }
        let reader = try SOAPEnvelopeReader(path: path)
        let records = try Self.records(reader)
        #expect(records.map { $0.values["@artikel"] ?? [] } == [["M-1"]])
        #expect(records.first?.line == 6)
    }

    static let broken: [(name: String, text: String, says: String, line: Int)] = [
        ("not-an-envelope", "<?xml version=\"1.0\"?>\n<Bestand/>\n", "not a SOAP envelope", 2),
        ("no-body", "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">\n<s:Header/>\n</s:Envelope>\n", "no Body", 3),
        ("junk-between", "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body/></s:Envelope>\nHTTP/1.1 200 OK\n", "outside any XML document", 2),
        ("second-broken", "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body/></s:Envelope>\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">\n<s:Body><a></s:Body></s:Envelope>\n", "mismatch", 3),
        ("doctype", "<?xml version=\"1.0\"?>\n<!DOCTYPE s [<!ENTITY x \"y\">]>\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>&x;</s:Body></s:Envelope>\n", "DOCTYPE", 2),
    ]

    @Test(arguments: broken.map(\.name))
    func refusesWhatIsNotASOAPDumpWithItsLine(_ name: String) throws {
        let case_ = try #require(Self.broken.first { $0.name == name })
        let (dir, path) = try Self.write(case_.text)
        defer { withExtendedLifetime(dir) {} }
        do throws(XMLError) {
            let reader = try SOAPEnvelopeReader(path: path)
            _ = try Self.records(reader)
            Issue.record("\(name) was read")
        } catch {
            #expect(error.description.contains(case_.says), "\(error)")
            // libxml2 reads a little ahead of a DOCTYPE before the reader sees it.
            let lines = name == "doctype" ? case_.line...(case_.line + 1) : case_.line...case_.line
            #expect(error.issues.first?.line.map(lines.contains) == true, "\(error)")
        }
    }

    @Test func findsDocumentsPastCommentsCDATAAndAttributesWithMarkup() throws {
        let (dir, path) = try Self.write("""
            \u{FEFF}<!-- first -->
            <a x="1>2" y='</a>'><![CDATA[</a><a>]]><!-- </a> --><?pi </a>?><b/></a>
            <a/><a>
            </a>
            """)
        defer { withExtendedLifetime(dir) {} }
        let documents = try XMLDocumentFinder.documents(in: path)
        #expect(documents.map(\.firstLine) == [2, 3, 3], "\(documents)")
        try #require(documents.count == 3)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let last = try #require(documents.last)
        #expect(String(decoding: bytes[Int(last.range.lowerBound)..<Int(last.range.upperBound)], as: UTF8.self) == "<a>\n</a>")
    }
}
