import Foundation
import HTTPTypes
import HafenTesting
import Ledger
import Testing

/// The crash matrix for the ERP's dispatch files: a shipments CSV (one row for an order the shop
/// does not have: the file is partial) and a SOAP dump of two envelopes (one record the schema refuses) become
/// fulfillments with tracking. The real binary is killed at each crash point, the first
/// fulfillment made in the shop but not yet in the ledger among them, and run again; the ledger,
/// the folders and the shop's fulfillments must equal a run without a crash — no order shipped
/// twice, no tracking number added twice.
extension CrashMatrixTests {
    /// The folder, and the ids of orders #1001 and #1002.
    static func dispatchFolder(_ simulator: SimulatorProcess) async throws -> (ExportHarness, [String]) {
        try await simulator.admin(.post, "/admin/reset")
        let soapFlow = SOAPIntakeTests.flow.replacingOccurrences(of: "flows:\n", with: "")
        let h = try ExportHarness(top: ShipmentImportTests.flow + "\n" + soapFlow, simulator: simulator)
        try h.dir.write(XMLIntakeTests.xsd, to: "schemas/versand.xsd")
        try FileManager.default.copyItem(atPath: SharedFolder.projectRoot + "/schemas/shipments.schema.json", toPath: h.dir.file("schemas/shipments.schema.json"))
        let ids = try await h.seed("[\(ExportHarness.paidOrder), \(ExportHarness.paidOrder)]")
        try ShipmentImportTests.drop(h, [
            "1001;LS-1;A-1;1;DHL;00340434161234567890;;22.11.2026",
            "1003;LS-3;A-1;1;DHL;999;;22.11.2026",
        ], as: "VERSAND_20261122.csv")
        let first = SOAPIntakeTests.envelope("""
            <Versandmeldung xmlns="urn:erp:versand"><Versand auftrag="1001"><Artikel>B-2</Artikel><Menge>1</Menge><Sendung versender="DHL">4711</Sendung></Versand></Versandmeldung>

            """)
        try h.dir.write(first + SOAPIntakeTests.envelope(SOAPIntakeTests.secondBody), to: "inbox/versand/dump_1.soap")
        return (h, ids)
    }

    static func dispatchState(_ h: ExportHarness, orders ids: [String]) async throws -> State {
        let ledger = try Ledger(path: h.dir.file(".hafen/ledger.sqlite"))
        var files: [String] = []
        for entry in try ledger.files(limit: 500) {
            files.append(line(entry))
            // The problems its report names: a shipment sent twice would be refused the second
            // time ("nothing left to ship"), a line the run without a crash does not have.
            let report = (try? String(contentsOfFile: (entry.finalPath ?? "") + ".error.txt", encoding: .utf8)) ?? ""
            files += report.split(separator: "\n").filter { $0.range(of: #"\bH[A-Z][0-9]{3}\b"#, options: .regularExpression) != nil }.map { "  \(entry.name): \($0)" }
        }
        files.sort()
        let folders = folderListing(h.dir, ["failed", "held", "inbox/shipments", "inbox/versand", ".hafen/processing/shipments", ".hafen/processing/versand"])
        var shop: [String] = []
        for (number, id) in zip(1001..., ids) {
            let fulfilled = try await ShipmentImportTests.fulfillment(h, id)
            shop.append("#\(number): \(fulfilled.status) tracking=\(fulfilled.tracking.sorted()) remaining=\(fulfilled.remaining)")
        }
        return State(files: files, folders: folders, shop: shop.sorted().joined(separator: "; "))
    }

    @Test func aCrashWhileShippingFromCSVOrSOAPEndsLikeARunWithoutOne() async throws {
        let simulator = try SimulatorProcess()
        let (reference, ids) = try await Self.dispatchFolder(simulator)
        let clean = try reference.hafen(["run", "--once", "--log-level", "error"])
        #expect(clean.status == 0, "\(clean.stdout) \(clean.stderr)")
        let expected = try await Self.dispatchState(reference, orders: ids)
        let entries = expected.files.filter { !$0.hasPrefix(" ") }
        #expect(entries.count == 2 && entries.allSatisfy { $0.contains(" partial ") && $0.contains("placed=true") }, "\(expected)")
        #expect(expected.files.contains { $0.contains("there is no order #1003 [HS606]") }, "\(expected)")
        #expect(expected.shop.contains("#1001: PARTIALLY_FULFILLED tracking=[\"00340434161234567890\", \"4711\"] remaining=[1, 0]"), "\(expected.shop)")
        #expect(expected.shop.contains("#1002: FULFILLED tracking=[\"4713\"]"), "\(expected.shop)")

        for point in ["claimed", "hashed", "validated", "shipped", "committed", "placed"] {
            let (h, again) = try await Self.dispatchFolder(simulator)
            let crashed = try h.hafen(["run", "--once", "--log-level", "error"], environment: ["HAFEN_CRASH_AT": point])
            #expect(crashed.status == 137, "no crash at \(point): \(crashed.stderr)")
            for _ in 0..<3 { _ = try h.hafen(["run", "--once", "--log-level", "error"]) }
            let after = try await Self.dispatchState(h, orders: again)
            #expect(after.files == expected.files, "ledger after a crash at \(point):\n\(after.files)\nexpected:\n\(expected.files)")
            #expect(after.folders == expected.folders, "folders after a crash at \(point):\n\(Set(after.folders).symmetricDifference(expected.folders))")
            #expect(after.shop == expected.shop, "the shop after a crash at \(point):\n\(after.shop)\nexpected:\n\(expected.shop)")
        }
    }
}
