import Foundation
import Gateway
import HafenTesting
import Ledger
import Testing

/// SOAP dumps (`format: soap`): the payloads of every envelope in the file become records
/// like an XML file's; a Fault fails the file with its code and reason.
@Suite struct SOAPIntakeTests {
    static let flow = XMLIntakeTests.flow
        .replacingOccurrences(of: "inbox/versand/*.xml", with: "inbox/versand/*.soap")
        .replacingOccurrences(of: "format: xml", with: "format: soap")

    static func harness() throws -> ExportHarness {
        let h = try ExportHarness(top: flow)
        try h.dir.write(XMLIntakeTests.xsd, to: "schemas/versand.xsd")
        return h
    }

    static func envelope(_ body: String, version: String = "http://schemas.xmlsoap.org/soap/envelope/") -> String {
        "<?xml version=\"1.0\"?>\n<s:Envelope xmlns:s=\"\(version)\"><s:Header/><s:Body>\n\(body)</s:Body></s:Envelope>\n"
    }

    static let secondBody = """
        <v:Versandmeldung xmlns:v="urn:erp:versand">
          <v:Versand auftrag="1002"><v:Sendung versender="DPD">4713</v:Sendung></v:Versand>
          <v:Versand auftrag="1002"><v:Menge>-1</v:Menge><v:Sendung versender="DPD">4714</v:Sendung></v:Versand>
        </v:Versandmeldung>

        """

    @Test func shipsFromTheEnvelopesOfASOAPDump() async throws {
        let h = try Self.harness()
        let ids = try await h.seed("[\(ExportHarness.paidOrder), \(ExportHarness.paidOrder)]")
        let first = Self.envelope("""
            <Versandmeldung xmlns="urn:erp:versand"><Versand auftrag="1001"><Artikel>A-1</Artikel><Menge>2</Menge><Sendung versender="DHL">4711</Sendung></Versand></Versandmeldung>

            """)
        let second = Self.envelope(Self.secondBody, version: "http://www.w3.org/2003/05/soap-envelope")
        try h.dir.write(first + "<!-- second call -->\n" + second, to: "inbox/versand/dump_1.soap")
        _ = try await XMLIntakeTests.shipsTheFirstTwoAndRefusesOne(h, ids, line: 10, field: "/Envelope[2]/Body/Versandmeldung/Versand[2]/Menge")
    }

    @Test func aFaultFailsTheFileWithItsCodeAndReason() async throws {
        let h = try Self.harness()
        let fault = Self.envelope("""
            <s:Fault><faultcode>s:Server</faultcode><faultstring>Lieferschein 80012 ist gesperrt</faultstring></s:Fault>

            """)
        try h.dir.write(fault, to: "inbox/versand/fault.soap")
        let gateway = try h.gateway()
        let entry = try await ShipmentImportTests.take(gateway)
        #expect(entry.state == .failed)
        let report = try h.dir.read("failed/fault.soap.error.txt")
        #expect(report.contains("HR109"), "\(report)")
        #expect(report.contains("s:Server") && report.contains("Lieferschein 80012 ist gesperrt"), "\(report)")
        #expect(report.contains("line 3"), "\(report)")
    }
}
