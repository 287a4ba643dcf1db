import Foundation
import Gateway
import HafenTesting
import Ledger
import Testing

/// Flows with a `map:` map every valid row at intake; mapping problems are rejected rows.
@Suite struct MappingIntakeTests {
    static let stockMap = """
            map:
              to: stock
              stock:
                sku: Artikelnummer
                location: {value: Lager, table: {HAUPT: Hauptlager}}
                on_hand: Bestand
                reserved: Reserviert
        """

    static func receipt(_ gateway: Gateway, _ id: Int64) throws -> [String: Any] {
        let json = try #require(try gateway.ledger.receipt(for: id)).json
        return try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
    }

    @Test func countsMappedRowsAndObjectsInTheReceipt() async throws {
        let h = try GatewayHarness(extraStock: Self.stockMap.replacingOccurrences(of: "{HAUPT: Hauptlager}", with: "{HAUPT: Hauptlager, AUSSEN: Außenlager}"))
        try h.drop(sample: "stock-20261122.csv", into: "stock")
        let gateway = try h.gateway()
        await gateway.scanOnce()
        let entry = try #require(await gateway.scanOnce().finished.first)
        #expect(entry.state == .done)
        let receipt = try Self.receipt(gateway, entry.id)
        let rows = receipt["rows"] as! [String: Int]
        #expect(rows == ["read": 400, "valid": 400, "rejected": 0, "mapped": 400, "filtered": 0])
        #expect(receipt["objects"] as! [String: Int] == ["products": 0, "variants": 0, "stock_levels": 400])
    }

    @Test func rejectsRowsWhoseValueIsNotInTheTableAndNamesTheCell() async throws {
        let h = try GatewayHarness(extraStock: Self.stockMap)
        try h.drop(text: """
            Artikelnummer;Lager;Bestand;Reserviert;Stand\r
            A-1;HAUPT;5;1;01.01.2026 10:00\r
            A-2;AUSSEN;7;0;01.01.2026 10:00\r
            A-3;HAUPT;x;0;01.01.2026 10:00\r

            """, into: "stock", as: "s.csv")
        let gateway = try h.gateway()
        await gateway.scanOnce()
        let entry = try #require(await gateway.scanOnce().finished.first)
        #expect(entry.state == .partial)
        #expect(entry.rowsValid == 1 && entry.rowsRejected == 2)
        let rejected = try String(contentsOfFile: h.dir.file("failed/s.csv.rejected.csv"), encoding: .windowsCP1252)
        #expect(rejected.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty } == [
            "A-2;AUSSEN;7;0;01.01.2026 10:00", "A-3;HAUPT;x;0;01.01.2026 10:00",
        ])
        let report = try String(contentsOfFile: h.dir.file("failed/s.csv.error.txt"), encoding: .utf8)
        #expect(report.contains("line 3, column 2 (stock.location): \"AUSSEN\" – \"AUSSEN\" is not in the table, which has no default [HM301]"))
    }

    @Test func failsAProductFileWhoseVariantsClashUnderRejectFile() async throws {
        let h = try GatewayHarness(extraProducts: """
                map:
                  to: products
                  group_by: Variantengruppe
                  variant: {sku: Artikelnummer, price: VK-Preis brutto}
                  options: {Farbe: Farbe, Größe: Größe}
            """)
        let header = "Artikelnummer;Bezeichnung;Langtext;EAN;VK-Preis brutto;MwSt-Satz;Warengruppe;Gewicht kg;Variantengruppe;Farbe;Größe;Aktiv;Geändert am\r\n"
        try h.drop(text: header + """
            A-1;Jacke;;;10,00;19;Mode;;V-1;rot;M;J;\r
            A-2;Jacke;;;10,00;19;Mode;;V-1;rot;M;J;\r

            """, into: "products", as: "p.csv")
        let gateway = try h.gateway()
        await gateway.scanOnce()
        let entry = try #require(await gateway.scanOnce().finished.first)
        #expect(entry.state == .failed)
        let report = try String(contentsOfFile: h.dir.file("failed/p.csv.error.txt"), encoding: .utf8)
        #expect(report.contains("variant with options rot / M is already in row 2 of \"v-1\" [HM304]"))
    }
}
