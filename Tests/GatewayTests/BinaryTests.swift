import Foundation
import Gateway
import HafenTesting
import Ledger
import Testing

/// The built `hafen` binary, run as an admin or a crash would run it.
@Suite(.serialized) struct BinaryTests {
    struct Snapshot: Equatable, CustomStringConvertible {
        var files: [String]
        var archive: [String]
        var failed: [String]
        var receipts: [String]
        var leftovers: [String]
        var description: String { "files \(files)\narchive \(archive)\nfailed \(failed)\nreceipts \(receipts)\nleft \(leftovers)" }
    }

    static func dropAll(_ h: GatewayHarness) throws {
        try h.drop(sample: "stock-20261122.csv", into: "stock")
        try h.drop(sample: "stock-with-errors.csv", into: "stock")
        try h.drop(sample: "products-with-errors.csv", into: "products")
    }

    static func snapshot(_ h: GatewayHarness) throws -> Snapshot {
        let ledger = try Ledger(path: h.dir.file(".hafen/ledger.sqlite"))
        let files = try ledger.files(limit: 100).map { "\($0.flow)/\($0.name) \($0.state.rawValue) placed=\($0.placed)" }.sorted()
        let day = h.dir.list("archive").first ?? "-"
        return Snapshot(
            files: files, archive: h.dir.list("archive/\(day)"), failed: h.dir.list("failed"),
            receipts: h.dir.list("outbox/receipts/stock") + h.dir.list("outbox/receipts/products"),
            leftovers: h.dir.list("inbox/stock") + h.dir.list("inbox/products") + h.dir.list(".hafen/processing/stock")
                + h.dir.list(".hafen/processing/products"))
    }

    @Test func aCrashAtAnyPointLosesAndDuplicatesNothing() throws {
        let reference = try GatewayHarness()
        try Self.dropAll(reference)
        #expect(try reference.hafen(["run", "--once"]).status == 1)  // one file fails on purpose
        let expected = try Self.snapshot(reference)
        #expect(expected.files.count == 3)
        #expect(expected.leftovers.isEmpty)

        for point in ["claimed", "hashed", "validated", "committed", "placed"] {
            let h = try GatewayHarness()
            try Self.dropAll(h)
            let crashed = try h.hafen(["run", "--once"], environment: ["HAFEN_CRASH_AT": point])
            #expect(crashed.status == 137, "no crash at \(point): \(crashed.stderr)")
            let restarted = try h.hafen(["run", "--once"])
            // At "placed" the failing file was finished before the crash; the restart only sees good ones.
            #expect(restarted.status == (point == "placed" ? 0 : 1), "\(point): \(restarted.stderr)")
            #expect(try Self.snapshot(h) == expected, "after a crash at \(point)")
        }
    }

    @Test func aSecondInstanceOnTheSameStateFolderRefusesToStart() throws {
        let h = try GatewayHarness()
        try FileManager.default.createDirectory(atPath: h.dir.file(".hafen"), withIntermediateDirectories: true)
        let lock = try #require(InstanceLock(path: h.dir.file(".hafen/lock")))
        let result = try h.hafen(["run", "--once"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("another Hafen daemon is running"))
        withExtendedLifetime(lock) {}
    }

    @Test func theDaemonPicksUpANewFileAndStopsCleanlyOnSIGTERM() throws {
        let h = try GatewayHarness()
        let process = try ChildProcess([HafenBinary.path, "run", "-c", h.configPath, "--log-level", "error"], in: h.dir.path)
        Thread.sleep(forTimeInterval: 0.5)
        try h.drop(sample: "stock-20261122.csv", into: "stock")
        // The rescan interval is 30 s: finding the file within 10 s means inotify woke the daemon.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline && h.dir.list("outbox/receipts/stock").isEmpty { Thread.sleep(forTimeInterval: 0.05) }
        #expect(h.dir.list("outbox/receipts/stock").count == 1)
        process.signal(SIGTERM)
        // Exit status 0 (not 128 + 15): the daemon finished its work and stopped on its own.
        #expect(process.wait(until: Date().addingTimeInterval(30)) == 0)
    }

    @Test func validatePrintsOneJSONObjectPerProblemAndExitsOneWhenInvalid() throws {
        let h = try GatewayHarness()
        let file = SharedFolder.projectRoot + "/samples/products-with-errors.csv"
        let result = try h.hafen(["validate", file, "--flow", "products", "--json"])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 9)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        for key in ["code", "line", "column", "field", "value", "rule", "message"] { #expect(first.keys.contains(key)) }
        #expect(first["code"] as? String == "HV206")
        #expect(first["line"] as? Int == 31)
        #expect(h.dir.list("inbox/products").isEmpty && !h.dir.exists(".hafen/ledger.sqlite"))  // no side effects
    }

    @Test func validateExitsZeroForAValidFileAndTwoForUsageMistakes() throws {
        let h = try GatewayHarness()
        let file = SharedFolder.projectRoot + "/samples/stock-20261122.csv"
        let valid = try h.hafen(["validate", file, "--flow", "stock"])
        #expect(valid.status == 0)
        #expect(valid.stdout.contains("valid: 400 rows, 400 valid, 0 rejected"))
        #expect(try h.hafen(["validate", file, "--flow", "nope"]).status == 2)
        #expect(try h.hafen(["validate", file]).status == 2)
        #expect(try h.hafen(["validate", file, "--bogus"]).status == 2)
        let bySchema = try ProcessRunner.run(HafenBinary.path, [
            "validate", file, "--schema", SharedFolder.projectRoot + "/schemas/stock.schema.json", "--encoding", "cp1252",
        ])
        #expect(bySchema.status == 0, "\(bySchema.stdout)\(bySchema.stderr)")
    }

    @Test func configMistakesExitTwoNamingKeyAndLine() throws {
        let h = try GatewayHarness()
        try h.dir.write(try h.dir.read("hafen.yaml").replacingOccurrences(of: "on_error: skip-rows", with: "on_error: skip"), to: "hafen.yaml")
        let result = try h.hafen(["run", "--once"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("hafen.yaml:13: flows.stock.on_error: must be reject-file or skip-rows"))
    }

    @Test func adminCommandsShowWhatHappened() throws {
        let h = try GatewayHarness()
        try Self.dropAll(h)
        _ = try h.hafen(["run", "--once"])
        let status = try h.hafen(["status"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("Failed files"))
        let files = try h.hafen(["files", "--state", "failed", "--json"])
        let list = try JSONSerialization.jsonObject(with: Data(files.stdout.utf8)) as! [[String: Any]]
        #expect(list.count == 1)
        let id = list[0]["id"] as! Int
        let show = try h.hafen(["show", "products-with-errors.csv"])
        #expect(show.stdout.contains("hafen reprocess \(id)"))
        #expect(show.stdout.contains("error HV208"))
        let json = try h.hafen(["show", String(id), "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["status"] as? String == "failed")
        let reprocess = try h.hafen(["reprocess", String(id)])
        #expect(reprocess.status == 1)  // unchanged file, fails again, as a new attempt
        #expect(reprocess.stdout.contains("failed"))
    }

    @Test func previewsAMappingWithoutChangingAnything() throws {
        let h = try GatewayHarness(extraStock: """
                map:
                  to: stock
                  stock: {sku: Artikelnummer, location: Lager, on_hand: Bestand, reserved: Reserviert, quantity: available}
            """)
        let path = try h.drop(sample: "stock-with-errors.csv", into: "stock")
        let result = try h.hafen(["map", path, "--flow", "stock", "--limit", "2"])
        #expect(result.status == 1, "some rows were rejected")
        #expect(result.stdout.contains("200 rows: 196 mapped, 0 left out by the filter, 4 rejected → 0 products with 0 variants, 196 stock levels"))
        #expect(result.stdout.contains("SKU        LOCATION  QUANTITY  ROW"))
        #expect(!h.dir.exists(".hafen/ledger.sqlite"), "a preview opens no ledger")
        let json = try h.hafen(["map", path, "--flow", "stock", "--json"])
        #expect(json.stdout.split(separator: "\n").first == #"{"location":"AUSSEN","quantity":831,"sku":"A-0000001"}"#)
    }

    @Test func plansAFileAgainstWhatWasLastPushedWithoutSendingAnything() throws {
        let h = try GatewayHarness(extraStock: """
                map:
                  to: stock
                  stock: {sku: Artikelnummer, location: Lager, on_hand: Bestand, reserved: Reserviert}
            """)
        let config = try h.dir.read("hafen.yaml")
        try h.dir.write("shops:\n  main:\n    store: example.myshopify.com\n    token: env:HAFEN_TEST_TOKEN\n    writes: blocked\n" + config, to: "hafen.yaml")
        let path = try h.drop(sample: "stock-20261122.csv", into: "stock")
        let result = try h.hafen(["plan", path, "--flow", "stock"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("shop main (writes blocked): 400 to create, 0 to update, 0 unchanged\n  create    stock A-0000001@HAUPT  (row 2)"))
        #expect(!h.dir.exists(".hafen/ledger.sqlite"), "planning creates no ledger")
        let unknown = try h.hafen(["plan", path, "--flow", "stock", "--shop", "other"])
        #expect(unknown.status == 2)
    }
}
