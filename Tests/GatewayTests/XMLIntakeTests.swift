import Commerce
import Formats
import Foundation
import Gateway
import HafenTesting
import Ledger
import Mapping
import Testing

/// XML flows: validated against their XSD while streaming, cut into records, mapped and sent
/// like CSV; a record the XSD refuses is rejected with its line and element path, a document
/// that is not well-formed (or brings a DOCTYPE) fails as a whole with a report.
@Suite struct XMLIntakeTests {
    static let xsd = """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:erp:versand" xmlns="urn:erp:versand" elementFormDefault="qualified">
          <xs:element name="Versandmeldung"><xs:complexType><xs:sequence>
            <xs:element name="Versand" maxOccurs="unbounded"><xs:complexType><xs:sequence>
              <xs:element name="Artikel" type="xs:string" minOccurs="0"/>
              <xs:element name="Menge" type="xs:positiveInteger" minOccurs="0"/>
              <xs:element name="Sendung"><xs:complexType><xs:simpleContent><xs:extension base="xs:string">
                <xs:attribute name="versender" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType></xs:element>
            </xs:sequence><xs:attribute name="auftrag" type="xs:positiveInteger" use="required"/></xs:complexType></xs:element>
          </xs:sequence></xs:complexType></xs:element>
        </xs:schema>
        """

    static let flow = """
        flows:
          versand:
            source: inbox/versand/*.xml
            format: xml
            schema: schemas/versand.xsd
            record: Versand
            fields:
              Auftrag: "@auftrag"
              Artikel: Artikel
              Menge: Menge
              Sendungsnummer: Sendung
              Versender: Sendung/@versender
            settle: 0s
            on_error: skip-rows
            shops: [main]
            map:
              to: shipments
              shipment:
                order: Auftrag
                sku: Artikel
                quantity: Menge
                carrier: Versender
                tracking_number: Sendungsnummer
        """

    static func harness() throws -> ExportHarness {
        let h = try ExportHarness(top: flow)
        try h.dir.write(xsd, to: "schemas/versand.xsd")
        return h
    }

    static func drop(_ h: ExportHarness, _ body: String, as name: String) throws {
        try h.dir.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Versandmeldung xmlns=\"urn:erp:versand\">\n\(body)</Versandmeldung>\n", to: "inbox/versand/" + name)
    }

    @Test func shipsFromAnXMLDispatchFileAndRejectsTheRecordTheSchemaRefuses() async throws {
        let h = try Self.harness()
        let ids = try await h.seed("[\(ExportHarness.paidOrder), \(ExportHarness.paidOrder)]")
        try Self.drop(h, """
              <Versand auftrag="1001"><Artikel>A-1</Artikel><Menge>2</Menge><Sendung versender="DHL">4711</Sendung></Versand>
              <Versand auftrag="1002"><Artikel>A-1</Artikel><Menge>0</Menge><Sendung versender="DHL">4712</Sendung></Versand>
              <Versand auftrag="1002"><Sendung versender="DPD">4713</Sendung></Versand>

            """, as: "VERSAND_1.xml")
        let violation = try await Self.shipsTheFirstTwoAndRefusesOne(h, ids, line: 4, field: "/Versandmeldung/Versand[2]/Menge")
        #expect((violation["message"] as? String)?.contains("'0' is not a valid value") == true, "\(violation)")
    }

    /// Takes the dropped dispatch file (XML or SOAP) and checks what both carry: the first
    /// order shipped in part, the second whole, one record refused by the XSD at `line` and
    /// `field`. Answers that refusal from the receipt.
    static func shipsTheFirstTwoAndRefusesOne(_ h: ExportHarness, _ ids: [String], line: Int, field: String) async throws -> [String: Any] {
        let gateway = try h.gateway()
        let entry = try await ShipmentImportTests.take(gateway)
        #expect(entry.state == .partial)
        #expect(entry.rowsRead == 3 && entry.rowsRejected == 1)
        #expect(try await ShipmentImportTests.fulfillment(h, ids[0]).remaining == [0, 1])
        #expect(try await ShipmentImportTests.fulfillment(h, ids[1]).status == "FULFILLED")
        let receipt = try ShopPushTests.receipt(gateway, entry.id)
        let errors = receipt["errors"] as? [[String: Any]] ?? []
        let violation = try #require(errors.first { $0["code"] as? String == "HV216" }, "\(errors)")
        #expect(violation["line"] as? Int == line)
        #expect(violation["field"] as? String == field)
        return violation
    }

    @Test func aDocumentThatIsNotWellFormedOrHasADoctypeFailsWithAReport() async throws {
        let h = try Self.harness()
        try Self.drop(h, "  <Versand auftrag=\"1001\"><Sendung>1</Versand>\n", as: "broken.xml")
        try h.dir.write("<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<Versandmeldung>&e;</Versandmeldung>\n", to: "inbox/versand/doctype.xml")
        let gateway = try h.gateway()
        await gateway.scanOnce()
        let finished = await gateway.scanOnce().finished
        #expect(finished.count == 2)
        #expect(finished.allSatisfy { $0.state == .failed })
        let broken = try h.dir.read("failed/broken.xml.error.txt")
        #expect(broken.contains("line 3"), "\(broken)")
        #expect(broken.contains("HR108"))
        #expect(broken.contains("mismatch"))
        let doctype = try h.dir.read("failed/doctype.xml.error.txt")
        #expect(doctype.contains("DOCTYPE") && doctype.contains("HR108"), "\(doctype)")
        #expect(!doctype.contains("root:"))  // nothing of /etc/passwd
    }

    @Test func namesAMistakeInAnXMLFlowsSettings() {
        func message(_ flow: String) -> String {
            configProblem { try ConfigLoader.parse("flows:\n  x:\n    source: inbox/x/*.xml\n" + flow, file: "hafen.yaml", root: SharedFolder.projectRoot) }
        }
        #expect(message("    format: xml\n    schema: schemas/auftraege.xsd\n    fields: {A: B}\n").contains("missing: the element each record is"))
        #expect(message("    format: xml\n    schema: schemas/auftraege.xsd\n    record: Auftrag\n    fields: {A: \"Preis/@x/y\"}\n").contains("is not a path below the record"))
        #expect(message("    format: xml\n    schema: schemas/missing.xsd\n    record: A\n    fields: {A: B}\n").contains("cannot read the schema"))
        #expect(message("    schema: schemas/stock.schema.json\n    record: A\n").contains("belongs to a flow with format: xml"))
        #expect(message("    format: xml\n    schema: schemas/auftraege.xsd\n    record: A\n    fields: {A: \"T[L]/X\"}\n").contains("is not a path below the record"))
        #expect(message("    format: xml\n    schema: schemas/auftraege.xsd\n    record: A\n    fields: {A: \"T/X[L=DE]\"}\n").contains("is not a path below the record"))
        #expect(message("    format: xml\n    schema: schemas/auftraege.xsd\n    record: A\n    fields: {A: \"T[L=DE]/X\"}\n") == "no error")
        #expect(message("    format: soap\n    schema: schemas/auftraege.xsd\n    record: A\n    fields: {A: B}\n") == "no error")
    }

    /// The worked SAP sample in samples/idoc: the article master and the prices map as the
    /// demo's hafen.yaml says; the article whose weight has a decimal comma is refused by the
    /// XSD with its line and element path.
    @Test func theIDocSamplesMapAsTheDemoConfigurationSays() throws {
        let root = SharedFolder.projectRoot
        let config = try ConfigLoader.load(path: root + "/hafen.yaml")
        let articles = try MappingPreview.run(path: root + "/samples/idoc/MATMAS05_20261122.xml", flow: try #require(config.flow(named: "artikel_sap")))
        #expect(articles.rowsRead == 3 && articles.rowsRejected == 1)
        let products = articles.result.products.map(\.product)
        #expect(products.map(\.title.value) == ["Emaillebecher blau", "Emaillebecher rot"])
        #expect(products.flatMap(\.variants).map(\.sku) == ["100200300", "100200301"])
        #expect(products.first?.variants.first?.barcode.value == "4006381333931")
        let refusal = try #require(articles.diagnostics.kept.first)
        #expect(refusal.code == .xsdViolation && refusal.position.line == 84 && refusal.field == "/MATMAS05/IDOC[3]/E1MARAM/BRGEW")
        let prices = try MappingPreview.run(path: root + "/samples/idoc/COND_A04_20261122.xml", flow: try #require(config.flow(named: "preise_sap")))
        #expect(prices.result.products.flatMap(\.product.variants).map { "\($0.sku)=\($0.price.value.map { "\($0)" } ?? "-")" } == [
            "100200300=12.9", "100200301=12.9", "100200302=24.5",
        ])
    }
}
