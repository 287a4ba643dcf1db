import Foundation
import HTTPTypes
import HafenTesting
import Ledger
import Testing

/// The crash matrix, the way back to the ERP: order exports delivered to a partner's SFTP server
/// and order exports a webhook set off in the running daemon, killed at each crash point on the
/// way, then run again. The end state — the ledger's export files and transfers, the local outbox
/// with its sidecars, the files on the partner's server — must equal a run without a crash:
/// every order in exactly one file, every file delivered once, nothing left half written.
extension CrashMatrixTests {
    struct ExportState: Equatable, CustomStringConvertible {
        var ledger: [String]
        var outbox: [String]
        var remote: [String]
        var description: String {
            "ledger:\n  " + ledger.joined(separator: "\n  ") + "\noutbox:\n  " + outbox.joined(separator: "\n  ") + "\nremote:\n  " + remote.joined(separator: "\n  ")
        }
    }

    /// Every file in `folder` (hidden ones too, so a temporary file left over shows), with the
    /// SHA-256 of its content. A run's manifest is named by its time and lists what that run
    /// wrote (a crash splits the files over two runs): each is checked to name existing files
    /// with their right checksums, and stands in the listing as a line saying so.
    static func listing(_ folder: String) throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var lines: [String] = []
        for name in names.sorted() {
            // A temporary file may be renamed between the listing and the read, while a daemon
            // writes: it is left out of this look (a later one sees the file it became).
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)) else { continue }
            guard name.hasPrefix("MANIFEST_") else {
                lines.append("\(name) \(try PartnerHarness.sha256Hex(Array(data)).prefix(16))")
                continue
            }
            for entry in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let parts = entry.split(separator: " ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                let listed = try? Data(contentsOf: URL(fileURLWithPath: folder + "/" + (parts.last ?? "")))
                if parts.count != 2 || listed.map({ (try? PartnerHarness.sha256Hex(Array($0))) ?? "" }) != parts[0] {
                    lines.append("a manifest's line is wrong: \(entry)")
                }
            }
        }
        return lines
    }

    static func exportState(_ h: ExportHarness, remote: String? = nil) throws -> ExportState {
        let ledger = try Ledger(path: h.dir.file(".hafen/ledger.sqlite"))
        // An abandoned file is an interrupted write the ledger cleaned up: its orders are in
        // another file, which is what counts.
        let files = try ledger.recentExportFiles(limit: 500).filter { $0.state != .abandoned }
        var rows = files.map { "\($0.flow)/\($0.name) \($0.state.rawValue) records=\($0.records) by=\($0.deliveredBy ?? "-")" }
        for file in files {
            rows += try ledger.transfers(exportFileID: file.id).map { "transfer \(($0.remotePath as NSString).lastPathComponent) \($0.kind) \($0.state.rawValue)" }
        }
        rows.append("open webhooks: \(try ledger.openWebhooks().count)")
        return ExportState(ledger: rows.sorted(), outbox: try listing(h.dir.file("outbox/orders")), remote: try remote.map(listing) ?? [])
    }

    @Test func aCrashWhileExportingToAnSFTPPartnerEndsLikeARunWithoutOne() async throws {
        let simulator = try SimulatorProcess()
        let server = try SSHServer()
        func harness() async throws -> ExportHarness {
            try await simulator.admin(.post, "/admin/reset")
            try? FileManager.default.removeItem(atPath: server.root + "/in")
            let h = try ExportHarness(
                settings: "    delivery: {sidecar: true, done_marker: .ok}", top: SFTPDeliveryTests.partner(server), simulator: simulator,
                target: "sftp://erp/in/orders")
            try await h.seed("[\(ExportHarness.paidOrder), \(ExportHarness.paidOrder)]")
            return h
        }
        let reference = try await harness()
        let clean = try reference.hafen(["export", "orders"])
        #expect(clean.status == 0, "\(clean.stderr)")
        let expected = try Self.exportState(reference, remote: server.root + "/in/orders")
        #expect(expected.remote.count == 6, "two files, each with its sidecar and done-marker: \(expected)")
        #expect(expected.ledger.contains { $0.hasPrefix("orders/orders_1002_original.csv delivered records=1 by=sftp") }, "\(expected)")

        for point in ["export-begun", "export-synced", "export-placed", "delivery-uploaded", "delivered"] {
            let h = try await harness()
            let crashed = try h.hafen(["export", "orders"], environment: ["HAFEN_CRASH_AT": point])
            #expect(crashed.status == 137, "no crash at \(point): \(crashed.stderr)")
            let again = try h.hafen(["export", "orders"])
            #expect(again.status == 0, "after a crash at \(point): \(again.stderr)")
            let after = try Self.exportState(h, remote: server.root + "/in/orders")
            #expect(after == expected, "after a crash at \(point):\n\(after)\nexpected:\n\(expected)")
            let third = try h.hafen(["export", "orders"])
            #expect(third.stdout.contains("0 written"), "a third run after a crash at \(point) finds nothing new: \(third.stdout)")
        }
    }

    /// A daemon whose first poll is done (so the orders created next reach it by webhook only),
    /// the simulator sending it webhooks.
    static func webhookDaemon(_ h: ExportHarness, port: Int, crashAt point: String? = nil, environment extra: [String: String] = [:]) async throws -> DaemonProcess {
        var environment = extra.merging(["HAFEN_TEST_WEBHOOK_SECRET": WebhookTests.secret]) { $1 }
        if let point { environment["HAFEN_CRASH_AT"] = point }
        let daemon = try DaemonProcess(configPath: h.dir.file("hafen.yaml"), in: h.dir.path, environment: environment, logLevel: "info")
        let polled = try await WebhookTests.eventually {
            let state = try await h.simulator.admin(.get, "/admin/state") as? [String: Any]
            return daemon.log.contains("listening") && ((state?["calls"] as? [String: Any])?["total"] as? Int ?? 0) >= 1
        }
        #expect(polled, "the daemon did not start: \(daemon.log)")
        try await Task.sleep(for: .milliseconds(300))
        try await h.simulator.admin(.post, "/admin/webhooks", json: #"{"url": "http://127.0.0.1:\#(port)/webhooks/shopify", "secret": "\#(WebhookTests.secret)"}"#)
        return daemon
    }

    /// A fresh shop and a per-order export whose daemon listens for webhooks on `port`.
    static func webhookHarness(_ simulator: SimulatorProcess, port: Int) async throws -> ExportHarness {
        try await simulator.admin(.post, "/admin/reset")
        return try ExportHarness(
            settings: "    poll: 1h", shopSettings: "    webhook_secret: env:HAFEN_TEST_WEBHOOK_SECRET", top: "server:\n  listen: 127.0.0.1:\(port)",
            simulator: simulator)
    }

    /// The three orders the webhook matrices buy.
    static let webhookOrders = #"{"count": 3, "seed": 9, "financialStatus": "PAID"}"#

    /// The state after the webhook orders were exported by a daemon left alone.
    static func webhookReference(_ simulator: SimulatorProcess) async throws -> ExportState {
        let port = DaemonProcess.freePort()
        let reference = try await webhookHarness(simulator, port: port)
        let daemon = try await webhookDaemon(reference, port: port)
        try await simulator.admin(.post, "/admin/orders/generate", json: webhookOrders)
        #expect(try await WebhookTests.eventually(15) { try exportState(reference).ledger.filter { $0.contains(" written ") }.count == 3 }, "\(daemon.log)")
        #expect(daemon.terminate(within: 10) == 0)
        return try exportState(reference)
    }

    @Test func aCrashWhileExportingAfterAWebhookEndsLikeARunWithoutOne() async throws {
        let simulator = try SimulatorProcess()
        let generate = Self.webhookOrders
        let expected = try await Self.webhookReference(simulator)
        #expect(expected.outbox.count == 6, "three files with their sidecars: \(expected)")
        #expect(expected.ledger.contains("open webhooks: 0"), "\(expected)")

        for point in ["export-begun", "export-synced", "export-placed", "webhooks-exported"] {
            let port = DaemonProcess.freePort()
            let h = try await Self.webhookHarness(simulator, port: port)
            let crashing = try await Self.webhookDaemon(h, port: port, crashAt: point)
            try await simulator.admin(.post, "/admin/orders/generate", json: generate)
            #expect(crashing.exitStatus(within: 15) == 137, "no crash at \(point): \(crashing.log)")
            // Restarted: the stored webhooks, and the poll at start for any the dead daemon missed.
            let restarted = try DaemonProcess(
                configPath: h.dir.file("hafen.yaml"), in: h.dir.path, environment: ["HAFEN_TEST_WEBHOOK_SECRET": WebhookTests.secret])
            let settled = try await WebhookTests.eventually(15) { try Self.exportState(h) == expected }
            #expect(restarted.terminate(within: 10) == 0)
            let after = try Self.exportState(h)
            #expect(settled && after == expected, "after a crash at \(point):\n\(after)\nexpected:\n\(expected)\n\(restarted.log)")
        }
    }
}
