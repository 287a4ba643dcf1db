import Foundation
import Gateway
import HafenTesting
import Ledger
import Testing

/// `format: xml`: orders become XML documents shaped by the flow's layout, each checked against
/// the flow's XSD before release; an order the schema refuses is named and left out.
@Suite struct XMLExportTests {
    static let xsd = """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:erp:auftraege" xmlns="urn:erp:auftraege" elementFormDefault="qualified">
          <xs:simpleType name="Artikel"><xs:restriction base="xs:string"><xs:pattern value="[A-Z]-[0-9]+"/></xs:restriction></xs:simpleType>
          <xs:element name="Auftraege">
            <xs:complexType><xs:sequence>
              <xs:element name="Auftrag" maxOccurs="unbounded">
                <xs:complexType><xs:sequence>
                  <xs:element name="Datum" type="xs:date"/>
                  <xs:element name="Kunde" type="xs:string"/>
                  <xs:element name="Notiz" type="xs:string" minOccurs="0"/>
                  <xs:element name="Positionen"><xs:complexType><xs:sequence>
                    <xs:element name="Position" maxOccurs="unbounded"><xs:complexType><xs:sequence>
                      <xs:element name="Artikel" type="Artikel"/>
                      <xs:element name="Menge" type="xs:positiveInteger"/>
                      <xs:element name="Preis"><xs:simpleType><xs:restriction base="xs:decimal"><xs:fractionDigits value="2"/></xs:restriction></xs:simpleType></xs:element>
                    </xs:sequence><xs:attribute name="nr" type="xs:positiveInteger" use="required"/></xs:complexType></xs:element>
                  </xs:sequence></xs:complexType></xs:element>
                </xs:sequence><xs:attribute name="nummer" type="xs:string" use="required"/></xs:complexType>
              </xs:element>
            </xs:sequence></xs:complexType>
          </xs:element>
        </xs:schema>
        """

    static func flow(file: String = "per-order") -> String {
        """
          xml_orders:
            format: xml
            file: \(file)
            target: outbox/xml
            xml:
              root: Auftraege
              record: Auftrag
              lines: Positionen
              line: Position
              namespace: "urn:erp:auftraege"
              encoding: ISO-8859-1
              schema: schemas/auftraege.xsd
            columns:
              "@nummer": order.number
              Datum: order.date
              Kunde: debtor.name
              Notiz: order.note
              "@nr": line.number
              Artikel: line.sku
              Menge: line.quantity
              Preis: line.unit_price
        """
    }

    static func harness(file: String = "per-order") throws -> ExportHarness {
        let h = try ExportHarness(flows: flow(file: file))
        try h.dir.write(xsd, to: "schemas/auftraege.xsd")
        return h
    }

    static func text(_ h: ExportHarness, _ name: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: h.dir.file("outbox/xml/" + name)))
        return String(data: data, encoding: .isoLatin1) ?? ""
    }

    @Test func writesAnOrderAsAValidDocumentAndLeavesOutOneTheSchemaRefuses() async throws {
        let h = try Self.harness()
        try await h.seed("""
            [\(ExportHarness.paidOrder),
             {"email": "b@example.com", "billingAddress": {"firstName": "Bea", "lastName": "Bauer"},
              "lineItems": [{"sku": "lower-case", "quantity": 1, "price": "1.00"}]}]
            """)
        let gateway = try h.gateway()
        let run = try await gateway.poll(try #require(try h.config().export(named: "xml_orders")))
        #expect(run.written[.original] == 1)
        #expect(run.failures.count == 1)
        #expect(run.failures.first?.contains("order #1002: XSD /Auftraege/Auftrag/Positionen/Position/Artikel: Element '{urn:erp:auftraege}Artikel': [facet 'pattern']") == true, "\(run.failures)")
        #expect(h.files("xml") == [])  // .xml, not .csv
        let names = h.dir.list("outbox/xml").filter { $0.hasSuffix(".xml") }
        #expect(names == ["xml_orders_1001_original.xml"])
        let text = try Self.text(h, names[0])
        let today = ISO8601DateFormatter.string(from: Date(), timeZone: .current, formatOptions: [.withFullDate])
        #expect(text == """
            <?xml version="1.0" encoding="ISO-8859-1"?>
            <Auftraege xmlns="urn:erp:auftraege">
              <Auftrag nummer="1001">
                <Datum>\(today)</Datum>
                <Kunde>Jürgen Weiß</Kunde>
                <Positionen>
                  <Position nr="1">
                    <Artikel>A-1</Artikel>
                    <Menge>2</Menge>
                    <Preis>9.90</Preis>
                  </Position>
                  <Position nr="2">
                    <Artikel>B-2</Artikel>
                    <Menge>1</Menge>
                    <Preis>4.50</Preis>
                  </Position>
                </Positionen>
              </Auftrag>
            </Auftraege>

            """)
        #expect(try h.dir.read("outbox/xml/\(names[0]).sha256").hasSuffix("  \(names[0])\n"))
        // The refused order is listed for attention, and polling again does not write it.
        #expect(try gateway.ledger.exportsNeedingAttention().contains { $0.objectName == "#1002" })
        let again = try await gateway.poll(try #require(try h.config().export(named: "xml_orders")))
        #expect(again.writtenCount == 0)
    }

    @Test func aBatchHoldsEveryOrderInOneDocument() async throws {
        let h = try Self.harness(file: "batch")
        try await h.seed("[\(ExportHarness.paidOrder), \(ExportHarness.paidOrder), \(ExportHarness.paidOrder)]")
        let gateway = try h.gateway()
        let run = try await gateway.poll(try #require(try h.config().export(named: "xml_orders")))
        #expect(run.written[.original] == 3)
        let names = h.dir.list("outbox/xml").filter { $0.hasSuffix(".xml") }
        #expect(names.count == 1)
        let text = try Self.text(h, names[0])
        #expect(text.components(separatedBy: "<Auftrag nummer=").count == 4)
    }

    @Test func refusesALayoutThatCannotBeXML() throws {
        func message(_ export: String) -> String {
            configProblem {
                try ConfigLoader.parse("shops:\n  main: {store: a.myshopify.com, token: \"env:T\"}\nexports:\n  x:\n" + export, file: "hafen.yaml", root: "/tmp")
            }
        }
        #expect(message("    format: xml\n    columns: {Nr: order.number}").contains("missing: the document's elements"))
        #expect(message("    format: xml\n    xml: {root: A, record: B}\n    columns: {Beleg Nr: order.number}").contains("is not an XML element name"))
        #expect(message("    format: xml\n    xml: {root: A, record: B, schema: /nonexistent.xsd}\n    columns: {Nr: order.number}").contains("cannot read the schema"))
        #expect(message("    xml: {root: A, record: B}\n    columns: {Nr: order.number}").contains("belongs to an export with format: xml"))
    }
}
