import Foundation
import HTTPTypes
import HafenTesting
import Ledger
import Testing

/// The crash matrix: the demo's own configuration (CSV products and stock pushed to the shop,
/// SAP IDocs as XML, with a file that fails and one with rejected rows) is run by the real
/// binary, killed at each named crash point, and run again; the end state — ledger rows,
/// archive, failed and held folders, receipts, what is left in inboxes and work areas, and the
/// simulated shop's products and stock — must equal a run without a crash. Nothing is lost, and
/// nothing is applied twice (a product created twice or an image set attached twice would show).
@Suite(.serialized, .enabled(if: SharedFolder.testsEnabled, "../shared is absent; set HAFEN_SHARED or run in CI"))
struct CrashMatrixTests {
    struct State: Equatable, CustomStringConvertible {
        var files: [String]
        var folders: [String]
        var shop: String
        var description: String { "files:\n  " + files.joined(separator: "\n  ") + "\nfolders:\n  " + folders.joined(separator: "\n  ") + "\nshop: \(shop.prefix(600))" }
    }

    /// A folder with the demo's hafen.yaml, schemas and inputs, pointed at `simulator`.
    static func demoFolder(_ simulator: SimulatorProcess) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("crash-matrix")
        let root = SharedFolder.projectRoot
        var yaml = try String(contentsOfFile: root + "/hafen.yaml", encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "http://127.0.0.1:8790", with: simulator.store).replacingOccurrences(of: "settle: 2s", with: "settle: 0s")
        _ = try dir.write(yaml, to: "hafen.yaml")
        try FileManager.default.copyItem(atPath: root + "/schemas", toPath: dir.path + "/schemas")
        _ = try dir.write(simulator.token + "\n", to: ".hafen/simulator.token")
        for sample in ["products-20261122.csv", "products-with-errors.csv"] {
            try FileManager.default.copyItem(atPath: root + "/samples/" + sample, toPath: dir.file("inbox/products/" + sample))
        }
        for sample in ["stock-20261122.csv", "stock-with-errors.csv"] {
            try FileManager.default.copyItem(atPath: root + "/samples/" + sample, toPath: dir.file("inbox/stock/" + sample))
        }
        try FileManager.default.copyItem(atPath: root + "/samples/idoc/MATMAS05_20261122.xml", toPath: dir.file("inbox/sap-artikel/MATMAS05_20261122.xml"))
        try FileManager.default.copyItem(atPath: root + "/samples/idoc/COND_A04_20261122.xml", toPath: dir.file("inbox/sap-preise/COND_A04_20261122.xml"))
        return dir
    }

    static func run(_ dir: TemporaryDirectory, crashAt point: String? = nil) throws -> ProcessResult {
        var environment: [String: String] = [:]
        if let point { environment["HAFEN_CRASH_AT"] = point }
        return try ProcessRunner.run(HafenBinary.path, ["run", "--once", "--log-level", "error", "-c", dir.file("hafen.yaml")],
                                     in: dir.path, environment: environment)
    }

    /// Drops what differs between runs by nature: ids, times, cursors.
    static func normalised(_ value: Any) -> Any {
        switch value {
        case let map as [String: Any]:
            var out: [String: Any] = [:]
            for (key, item) in map {
                let lower = key.lowercased()
                if lower.hasSuffix("id") || lower.hasSuffix("_at") || key.hasSuffix("At") { continue }
                out[key] = normalised(item)
            }
            return out
        case let list as [Any]:
            return list.map(normalised)
        case let text as String:
            return text.hasPrefix("gid://") ? "gid" : text
        default:
            return value
        }
    }

    /// A ledger row as the matrix compares it.
    static func line(_ entry: FileEntry) -> String {
        "\(entry.flow)/\(entry.name) \(entry.state.rawValue) attempt=\(entry.attempt) placed=\(entry.placed) rows=\(entry.rowsRead ?? -1)/\(entry.rowsValid ?? -1)/\(entry.rowsRejected ?? -1)"
    }

    /// What lies in `folders`, in the archive (all days) and among the receipts, sorted.
    static func folderListing(_ dir: TemporaryDirectory, _ folders: [String]) -> [String] {
        var listed: [String] = []
        for folder in folders { listed += dir.list(folder).map { "\(folder)/\($0)" } }
        for day in dir.list("archive") { listed += dir.list("archive/\(day)").map { "archive/\($0)" } }
        for flow in dir.list("outbox/receipts") { listed += dir.list("outbox/receipts/\(flow)").map { "receipts/\(flow)/\($0)" } }
        return listed.sorted()
    }

    static func state(_ dir: TemporaryDirectory, _ simulator: SimulatorProcess) async throws -> State {
        let ledger = try Ledger(path: dir.file(".hafen/ledger.sqlite"))
        let files = try ledger.files(limit: 500).map(line).sorted()
        let folders = folderListing(dir, ["failed", "held", "inbox/products", "inbox/stock", "inbox/sap-artikel", "inbox/sap-preise",
                                          ".hafen/processing/products", ".hafen/processing/stock", ".hafen/processing/artikel_sap", ".hafen/processing/preise_sap"])
        let products = normalised(try await simulator.admin(.get, "/admin/products"))
        let inventory = try await simulator.inventory()
        let shop = String(decoding: try JSONSerialization.data(withJSONObject: ["products": products, "inventory": inventory], options: [.sortedKeys]), as: UTF8.self)
        return State(files: files, folders: folders, shop: shop)
    }

    @Test func aCrashAtEveryPointEndsLikeARunWithoutOne() async throws {
        let simulator = try SimulatorProcess()
        let reference = try Self.demoFolder(simulator)
        let clean = try Self.run(reference)
        #expect(clean.status == 1, "the file with errors fails on purpose: \(clean.stderr)")
        let expected = try await Self.state(reference, simulator)
        #expect(expected.files.count == 6, "\(expected)")
        if ProcessInfo.processInfo.environment["HAFEN_SHOW_MATRIX"] != nil { print(expected) }
        #expect(!expected.files.contains { $0.contains("placed=false") })
        #expect(expected.shop.contains("A-0000001"), "the products reached the shop")

        for point in ["claimed", "hashed", "validated", "committed", "placed", "pushed-batch"] {
            try await simulator.admin(.post, "/admin/reset")
            let dir = try Self.demoFolder(simulator)
            let crashed = try Self.run(dir, crashAt: point)
            #expect(crashed.status == 137, "no crash at \(point): \(crashed.stderr)")
            // Restarted until nothing is left; a run that crashed at the first file leaves the others waiting.
            for _ in 0..<3 { _ = try Self.run(dir) }
            let after = try await Self.state(dir, simulator)
            #expect(after.files == expected.files, "ledger after a crash at \(point):\n\(after.files)\nexpected:\n\(expected.files)")
            #expect(after.folders == expected.folders, "folders after a crash at \(point):\n\(Set(after.folders).symmetricDifference(expected.folders))")
            #expect(after.shop == expected.shop, "the shop after a crash at \(point) differs")
        }
    }

    /// A corrected products file, as an admin would save it over the failed one in `failed/`.
    static let correctedProducts = """
        Artikelnummer;Bezeichnung;Langtext;EAN;VK-Preis brutto;MwSt-Satz;Warengruppe;Gewicht kg;Variantengruppe;Farbe;Größe;Aktiv;Geändert am
        B-0000001;Becher Neu;Becher Neu;4006381000017;12,50;19;Küche;0,300;;;;J;01.12.2026 10:00
        B-0000002;Zange Neu;Zange Neu;4006381000024;24,90;19;Werkzeug;0,450;;;;J;01.12.2026 10:00
        B-0000003;Lampe Neu;Lampe Neu;4006381000031;59,00;7;Elektro;1,200;;;;J;01.12.2026 10:00

        """

    /// The demo run, then a corrected file in `failed/` and a stock file so short that the
    /// safety valve holds it: the ids of the failed and the held file.
    static func repeatFolder(_ simulator: SimulatorProcess) throws -> (TemporaryDirectory, failed: Int64, held: Int64) {
        let dir = try demoFolder(simulator)
        _ = try run(dir)
        let corrected = Array(correctedProducts.replacingOccurrences(of: "\n", with: "\r\n").unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        try Data(corrected).write(to: URL(fileURLWithPath: dir.file("failed/products-with-errors.csv")))
        _ = try dir.write("Artikelnummer;Lager;Bestand;Reserviert;Stand\r\nA-0000001;HAUPT;7;0;01.12.2026 10:00\r\n", to: "inbox/stock/stock-short.csv")
        _ = try run(dir)
        let ledger = try Ledger(path: dir.file(".hafen/ledger.sqlite"))
        let files = try ledger.files(limit: 500)
        let failed = try #require(files.first { $0.name == "products-with-errors.csv" && $0.state == .failed })
        let held = try #require(files.first { $0.name == "stock-short.csv" && $0.state == .held })
        return (dir, failed.id, held.id)
    }

    static func command(_ dir: TemporaryDirectory, _ verb: String, _ id: Int64, crashAt point: String? = nil) throws -> ProcessResult {
        var environment: [String: String] = [:]
        if let point { environment["HAFEN_CRASH_AT"] = point }
        return try ProcessRunner.run(HafenBinary.path, [verb, "\(id)", "--log-level", "error", "-c", dir.file("hafen.yaml")],
                                     in: dir.path, environment: environment)
    }

    @Test func aCrashWhileReprocessingOrApprovingEndsLikeARunWithoutOne() async throws {
        let simulator = try SimulatorProcess()
        let (reference, failedID, heldID) = try Self.repeatFolder(simulator)
        let repeated = try Self.command(reference, "reprocess", failedID)
        #expect(repeated.status == 0, "the corrected file goes through: \(repeated.stdout) \(repeated.stderr)")
        let approved = try Self.command(reference, "approve", heldID)
        #expect(approved.status == 0, "the held file goes through: \(approved.stdout) \(approved.stderr)")
        let expected = try await Self.state(reference, simulator)
        #expect(expected.files.contains { $0.hasPrefix("products/products-with-errors.csv done attempt=2 placed=true") }, "\(expected)")
        #expect(expected.files.contains { $0.hasPrefix("stock/stock-short.csv done attempt=2 placed=true") }, "\(expected)")
        #expect(expected.shop.contains("B-0000003"), "the corrected products reached the shop")

        for point in ["requeued", "hashed", "validated", "committed", "placed"] {
            try await simulator.admin(.post, "/admin/reset")
            let (dir, failed, held) = try Self.repeatFolder(simulator)
            #expect(failed == failedID && held == heldID)
            let crashed = try Self.command(dir, "reprocess", failed, crashAt: point)
            #expect(crashed.status == 137, "no crash at \(point) in reprocess: \(crashed.stderr)")
            _ = try Self.run(dir)
            let crashedApproval = try Self.command(dir, "approve", held, crashAt: point)
            #expect(crashedApproval.status == 137, "no crash at \(point) in approve: \(crashedApproval.stderr)")
            for _ in 0..<2 { _ = try Self.run(dir) }
            let again = try Self.command(dir, "reprocess", failed)
            #expect(again.status == 2 && again.stderr.contains("only failed or partial") || again.stderr.contains("queued already") || again.stderr.contains("no longer there"),
                    "a second reprocess of #\(failed) is refused: \(again.stderr)")
            let after = try await Self.state(dir, simulator)
            #expect(after.files == expected.files, "ledger after a crash at \(point):\n\(after.files)\nexpected:\n\(expected.files)")
            #expect(after.folders == expected.folders, "folders after a crash at \(point):\n\(Set(after.folders).symmetricDifference(expected.folders))")
            #expect(after.shop == expected.shop, "the shop after a crash at \(point) differs")
        }
    }
}
