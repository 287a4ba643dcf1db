import Foundation
import HTTPTypes
import HafenTesting
import Ledger
import Testing

/// The kill -9 soak: real `hafen run` daemons on the demo's configuration, killed with SIGKILL at
/// random moments while files keep arriving (new stock files, renamed copies of earlier ones,
/// files that fail, files on an SFTP partner's server) and shoppers buy (the simulator sends
/// webhooks to the daemon, which exports the orders), restarted each time. At the end every file
/// is accounted for exactly once, every order is in exactly one export file, and the shop holds
/// the stock of the last file: nothing lost, nothing applied or exported twice, nothing applied
/// out of order. `make test` kills 10 times (`HAFEN_SOAK_KILLS`); `make soak` 100 times.
@Suite(.serialized, .enabled(if: SharedFolder.testsEnabled, "../shared is absent; set HAFEN_SHARED or run in CI"))
struct SoakTests {
    static var kills: Int { Int(ProcessInfo.processInfo.environment["HAFEN_SOAK_KILLS"] ?? "") ?? 10 }

    /// The sample's stock rows with every quantity set from `seed`, reserved 0.
    static func stockFile(seed: Int) throws -> (text: String, onHand: [String: Int]) {
        let sample = try String(contentsOfFile: SharedFolder.projectRoot + "/samples/stock-20261122.csv", encoding: .windowsCP1252)
        var lines = sample.split(whereSeparator: \.isNewline).map(String.init)
        var onHand: [String: Int] = [:]
        for index in 1..<lines.count {
            var cells = lines[index].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            let quantity = (seed * 7919 + index * 31) % 5000
            cells[2] = String(quantity)
            cells[3] = "0"
            onHand["\(cells[0])@\(cells[1] == "HAUPT" ? "Hauptlager" : "Außenlager")"] = quantity
            lines[index] = cells.joined(separator: ";")
        }
        return (lines.joined(separator: "\r\n") + "\r\n", onHand)
    }

    @Test func everyFileIsAccountedForExactlyOnceAfterRandomKills() async throws {
        try await soak(cycles: Self.kills, label: "kills") { daemon in daemon.kill() }
    }

    /// SIGTERM at random moments: the daemon finishes the step in hand and its ledger commit,
    /// leaves a throttled export poll and the stored webhooks for the next start, and exits by
    /// itself (within 15 s, well before any supervisor would kill it).
    @Test func stopsGracefullyOnSIGTERMAtAnyMomentAndLosesNothing() async throws {
        var stops: [Int32] = []
        var slowest = 0.0
        try await soak(cycles: 8, label: "SIGTERMs") { daemon in
            let start = Date()
            stops.append(daemon.terminate(within: 15))
            slowest = max(slowest, Date().timeIntervalSince(start))
            if stops.last != 0 { print("a stop ended with \(stops.last ?? 0); the daemon's log:\n\(daemon.log)") }
        }
        print(String(format: "soak: the slowest stop took %.2f s", slowest))
        #expect(stops.allSatisfy { $0 == 0 }, "exit statuses after SIGTERM: \(stops)")
    }

    private func soak(cycles: Int, label: String, stop: (DaemonProcess) -> Void) async throws {
        let simulator = try SimulatorProcess()
        let dir = try CrashMatrixTests.demoFolder(simulator)
        // The soak streams its own files: the demo's inputs go, except the products (SKUs for the stock).
        for folder in ["inbox/stock", "inbox/sap-artikel", "inbox/sap-preise"] {
            for name in dir.list(folder) { try FileManager.default.removeItem(atPath: dir.file("\(folder)/\(name)")) }
        }
        try FileManager.default.removeItem(atPath: dir.file("inbox/products/products-with-errors.csv"))
        // An SFTP partner whose stock files are checked and archived (no shop: the local stock
        // files decide the shop's levels), and the webhook port.
        let server = try SSHServer()
        try FileManager.default.createDirectory(atPath: server.root + "/out/stock", withIntermediateDirectories: true)
        let port = DaemonProcess.freePort()
        let secret = "soak-webhook-secret"
        var yaml = try dir.read("hafen.yaml")
        yaml = yaml.replacingOccurrences(of: "\nflows:\n", with: "\nflows:\n" + PartnerHarness.stockFlow("partner_stock") + "\n\n")
        yaml = yaml.replacingOccurrences(of: "    writes: enabled", with: "    webhook_secret: env:HAFEN_SOAK_HMAC\n    writes: enabled")
        yaml += "\nserver:\n  listen: 127.0.0.1:\(port)\n" + SFTPDeliveryTests.partner(server) + "\n"
        _ = try dir.write(yaml, to: "hafen.yaml")
        try await simulator.admin(.post, "/admin/webhooks", json: #"{"url": "http://127.0.0.1:\#(port)/webhooks/shopify", "secret": "\#(secret)"}"#)
        var partnerFiles: [String] = []
        var orders = 0
        var dropped = ["products/products-20261122.csv"]
        var lastOnHand: [String: Int] = [:]
        var generator = SystemRandomNumberGenerator()
        var written: [String] = []
        for cycle in 0..<cycles {
            let daemon = try DaemonProcess(configPath: dir.file("hafen.yaml"), in: dir.path, environment: ["HAFEN_SOAK_HMAC": secret], logLevel: "error")
            // Files arrive while it runs: a new stock file each time, a renamed copy of an earlier one
            // every third time (a duplicate: no shop call), a failing products file every fifth.
            let (text, onHand) = try Self.stockFile(seed: cycle)
            let name = String(format: "stock-%03d.csv", cycle)
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir.file("inbox/stock/\(name)")))
            written.append(text)
            dropped.append("stock/\(name)")
            lastOnHand = onHand
            if cycle % 3 == 2 {
                let copy = String(format: "stock-%03d-copy.csv", cycle)
                try Data(written[cycle - 2].utf8).write(to: URL(fileURLWithPath: dir.file("inbox/stock/\(copy)")))
                dropped.append("stock/\(copy)")
            }
            if cycle % 5 == 4 {
                let bad = String(format: "bad-%03d.csv", cycle)
                try FileManager.default.copyItem(atPath: SharedFolder.projectRoot + "/samples/products-with-errors.csv", toPath: dir.file("inbox/products/\(bad)"))
                dropped.append("products/\(bad)")
            }
            // On the partner's server: a new file (written under another name, then renamed, as
            // a careful partner does), and every fourth time a renamed copy (a duplicate).
            let remote = String(format: "p-%03d.csv", cycle)
            let content = cycle % 4 == 3 ? partnerFileText(cycle - 1) : partnerFileText(cycle)
            try Data(content.utf8).write(to: URL(fileURLWithPath: server.root + "/out/stock/.\(remote).tmp"))
            try FileManager.default.moveItem(atPath: server.root + "/out/stock/.\(remote).tmp", toPath: server.root + "/out/stock/\(remote)")
            partnerFiles.append(remote)
            // Shoppers buy: the simulator sends orders/create and orders/paid to the daemon, dead or alive.
            let bought = Int.random(in: 1...2, using: &generator)
            try await simulator.admin(.post, "/admin/orders/generate", json: #"{"count": \#(bought), "seed": \#(cycle), "financialStatus": "PAID"}"#)
            orders += bought
            try await Task.sleep(for: .milliseconds(Int.random(in: 200...1800, using: &generator)))
            stop(daemon)
        }
        // Daemon-free runs finish whatever the kills left.
        // (Twice: the second finds nothing left. Each polls the four exports, which the shop's
        // cost budget, drained by the stock pushes, spreads over some seconds.)
        for _ in 0..<2 {
            _ = try ProcessRunner.run(HafenBinary.path, ["run", "--once", "--log-level", "error", "-c", dir.file("hafen.yaml")], in: dir.path)
        }

        let ledger = try Ledger(path: dir.file(".hafen/ledger.sqlite"))
        let rows = try ledger.files(limit: 10_000)
        var byName: [String: [FileEntry]] = [:]
        for row in rows { byName["\(row.flow)/\(row.name)", default: []].append(row) }
        let lost = dropped.filter { name in !(byName[name] ?? []).contains { $0.state.isFinal && $0.placed } }
        let twice = byName.filter { $0.value.count > 1 }.map(\.key)
        // The partner's files: each once, final and placed; the copies are duplicates; none left there.
        let remoteRows = rows.filter { $0.flow == "partner_stock" }
        let remoteLost = partnerFiles.filter { name in !remoteRows.contains { $0.name == name && $0.state.isFinal && $0.placed } }
        let remoteTwice = Dictionary(grouping: remoteRows, by: \.name).filter { $0.value.count > 1 }.map(\.key)
        // The orders: each in exactly one file of the per-order export, none lost.
        let orderFiles = dir.list("outbox/orders").filter { $0.hasPrefix("ORD_") && $0.hasSuffix(".csv") }
        let numbers = orderFiles.map { $0.split(separator: "_")[1] }
        let ordersTwice = Dictionary(grouping: numbers, by: { $0 }).filter { $0.value.count > 1 }.count
        let ordersLost = orders - Set(numbers).count
        print("soak: \(label) \(cycles), files \(dropped.count + partnerFiles.count) (\(partnerFiles.count) by SFTP), orders \(orders), "
            + "lost \(lost.count + remoteLost.count + max(0, ordersLost)), twice \(twice.count + remoteTwice.count + ordersTwice)")
        #expect(lost.isEmpty, "lost: \(lost)")
        #expect(twice.isEmpty, "twice: \(twice)")
        #expect(Set(byName.keys) == Set(dropped + partnerFiles.map { "partner_stock/\($0)" }), "unexpected rows: \(Set(byName.keys).subtracting(dropped))")
        #expect(remoteLost.isEmpty && remoteTwice.isEmpty, "partner files lost: \(remoteLost), twice: \(remoteTwice)")
        #expect(remoteRows.filter { $0.state == .duplicate }.count == partnerFiles.indices.filter { $0 % 4 == 3 }.count, "\(remoteRows.map { "\($0.name) \($0.state)" })")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: server.root + "/out/stock")) ?? ["?"]).isEmpty, "left on the partner's server")
        #expect(ordersLost == 0 && ordersTwice == 0, "\(orders) orders bought, files: \(orderFiles.sorted())")
        #expect(!dir.list("outbox/orders").contains { $0.hasPrefix(".") }, "a temporary export file was left: \(dir.list("outbox/orders"))")
        for folder in ["inbox/stock", "inbox/products", ".hafen/processing/stock", ".hafen/processing/products"] {
            #expect(dir.list(folder).filter { !$0.hasPrefix(".") }.isEmpty, "left in \(folder): \(dir.list(folder))")
        }
        let copies = rows.filter { $0.name.hasSuffix("-copy.csv") }
        #expect(copies.allSatisfy { $0.state == .duplicate }, "\(copies.map { "\($0.name) \($0.state)" })")
        // The shop holds the last file's stock: every file applied in order, none twice or lost.
        let inventory = try await simulator.admin(.get, "/admin/inventory") as? [[String: Any]] ?? []
        var shop: [String: Int] = [:]
        for row in inventory { shop["\(row["sku"] ?? "")@\(row["location"] ?? "")"] = row["on_hand"] as? Int }
        // The stock files also name SKUs the shop does not sell (counted and left out, as the demo says).
        let known = lastOnHand.filter { shop[$0.key] != nil }
        #expect(known.count > 200, "levels of the last file in the shop: \(known.count)")
        let differing = known.filter { shop[$0.key] != $0.value }.keys.sorted()
        #expect(differing.isEmpty, "\(differing.count) levels differ from the last file, e.g. \(differing.prefix(3).map { "\($0): file \(lastOnHand[$0]!), shop \(shop[$0]!)" })")
        withExtendedLifetime((simulator, server)) {}
    }

    /// A small stock file for the partner's folder, its quantities set from `seed`.
    private func partnerFileText(_ seed: Int) -> String {
        PartnerHarness.stockHeader + (0..<20).map { "A-\(String(format: "%07d", $0 + 1));HAUPT;\((seed * 13 + $0) % 400);0;01.12.2026 10:00\r\n" }.joined()
    }
}
