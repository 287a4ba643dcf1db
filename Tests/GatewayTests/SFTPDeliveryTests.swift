import Foundation
import Gateway
import HafenTesting
import Ledger
import Testing

/// Files Hafen delivers to a partner's real OpenSSH server: under a hidden temporary name,
/// flushed, checked and renamed into place; a name taken by another file is never overwritten.
@Suite struct SFTPDeliveryTests {
    static let brokenStock = "Artikel;Lager\r\nA-1;HAUPT\r\n"

    @Test func receiptsAndErrorReportsGoBackToThePartner() async throws {
        let h = try PartnerHarness(flow: "    after_pickup: delete\n    receipts_to: sftp://erp/in/receipts")
        try h.put(PartnerHarness.stockFile, at: "out/stock/gut.csv")
        try h.put(Self.brokenStock, at: "out/stock/kaputt.csv")
        let finished = await h.scan(try h.gateway())
        #expect(Set(finished.map(\.state)) == [.done, .failed])
        let names = h.remote("in/receipts")
        #expect(!names.contains { $0.hasPrefix(".") }, "a temporary file was left: \(names)")
        let good = try #require(finished.first { $0.name == "gut.csv" })
        let bad = try #require(finished.first { $0.name == "kaputt.csv" })
        #expect(names.contains("gut.csv.\(good.sha256!.prefix(12)).receipt.json"), "\(names)")
        #expect(names.contains("kaputt.csv.\(bad.sha256!.prefix(12)).receipt.json"), "\(names)")
        #expect(names.contains("kaputt.csv.\(bad.id).error.txt"), "\(names)")
        let receipt = try h.readRemote("in/receipts/gut.csv.\(good.sha256!.prefix(12)).receipt.json")
        #expect(receipt == (try h.dir.read("outbox/receipts/stock/gut.csv.\(good.sha256!.prefix(12)).receipt.json")))
        #expect(try h.readRemote("in/receipts/kaputt.csv.\(bad.id).error.txt").contains("kaputt.csv"))
        let sent = try h.ledger().transfers(fileID: good.id).filter { $0.direction == .outbound }
        #expect(sent.map(\.state) == [.done])
    }

    @Test func aDifferentFileUnderTheSameNameIsNeverOverwritten() async throws {
        let h = try PartnerHarness(flow: "    receipts_to: sftp://erp/in/receipts")
        try h.put(PartnerHarness.stockFile, at: "out/stock/gut.csv")
        let sha = try #require(Self.sha256(PartnerHarness.stockFile))
        let name = "gut.csv.\(sha.prefix(12)).receipt.json"
        try h.put("someone else's file", at: "in/receipts/" + name)
        let gateway = try h.gateway()
        let finished = await h.scan(gateway)
        #expect(finished.map(\.state) == [.done])
        #expect(try h.readRemote("in/receipts/" + name) == "someone else's file")
        let failed = try h.ledger().transfers(state: .failed)
        #expect(failed.count == 1)
        #expect(failed.first?.lastError?.contains("never overwrites") == true, "\(failed.first?.lastError ?? "")")
        #expect(h.remote("in/receipts") == [name], "a temporary file was left")
        // The admin moves the stranger aside and retries: now it is delivered.
        try FileManager.default.moveItem(atPath: h.server.root + "/in/receipts/" + name, toPath: h.server.root + "/in/fremd.json")
        let retry = try h.hafen(["transfers", "--retry"])
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(retry.stdout.contains("1 failed deliveries queued again") && retry.stdout.contains("1 delivered now"), "\(retry.stdout)")
        #expect(try h.readRemote("in/receipts/" + name).contains("\"status\""))
        #expect(await gateway.deliverPending() == 0, "sent once")
    }

    @Test func theSameFileAlreadyInPlaceCountsAsDelivered() async throws {
        let h = try PartnerHarness(flow: "    receipts_to: sftp://erp/in/receipts")
        try h.put(PartnerHarness.stockFile, at: "out/stock/gut.csv")
        let gateway = try h.gateway()
        let entry = try #require(await h.scan(gateway).first)
        let ledger = try h.ledger()
        let done = try #require(ledger.transfers(fileID: entry.id).first { $0.direction == .outbound })
        // As if the rename had happened and the ledger not been told (a crash in between).
        try ledger.queueTransfer(Transfer(
            direction: .outbound, partner: "erp", flow: "stock", kind: "receipt", remotePath: done.remotePath, localPath: done.localPath, size: nil,
            sha256: nil, fileID: entry.id, state: .pending))
        #expect(await gateway.deliverPending() == 1)
        #expect(try ledger.transfers(fileID: entry.id).last?.disposition == "was already there")
    }

    @Test func anExportIsDeliveredWithItsSidecarAndDoneMarker() async throws {
        let server = try SSHServer()
        let h = try ExportHarness(
            settings: "    delivery: {sidecar: true, done_marker: .ok}",
            top: Self.partner(server), target: "sftp://erp/in/orders")
        try await h.seed("[\(ExportHarness.paidOrder)]")
        let run = try await h.gateway().poll(h.flow())
        let file = try #require(run.files.first)
        let remote = ((try? FileManager.default.contentsOfDirectory(atPath: server.root + "/in/orders")) ?? []).sorted()
        #expect(remote == [file.name, file.name + ".ok", file.name + ".sha256"])
        let sent = try Data(contentsOf: URL(fileURLWithPath: server.root + "/in/orders/" + file.name))
        #expect(sent == (try Data(contentsOf: URL(fileURLWithPath: h.dir.file("outbox/orders/" + file.name)))), "the local copy stays in outbox/orders")
        #expect(try String(contentsOfFile: server.root + "/in/orders/\(file.name).sha256", encoding: .utf8) == "\(file.sha256!)  \(file.name)\n")
        let ledger = try Ledger(path: h.dir.file(".hafen/ledger.sqlite"))
        let stored = try #require(try ledger.exportFile(id: file.id))
        #expect(stored.state == .delivered)
        #expect(stored.deliveredBy == "sftp")
    }

    @Test func anExportWaitsForAnUnreachablePartnerAndIsDeliveredLater() async throws {
        let server = try SSHServer()
        let h = try ExportHarness(top: Self.partner(server), target: "sftp://erp/in/orders")
        try await h.seed("[\(ExportHarness.paidOrder)]")
        server.stop()
        let gateway = try h.gateway()
        let run = try await gateway.poll(h.flow())
        #expect(run.files.count == 1, "the file is written locally even when the partner is down")
        let ledger = try Ledger(path: h.dir.file(".hafen/ledger.sqlite"))
        #expect(try ledger.transfers(state: .pending).count == 1)
        let retry = try h.hafen(["transfers", "--retry"])
        #expect(retry.status == 1)
        #expect(retry.stdout.contains("0 delivered now, 1 still waiting"), "\(retry.stdout)")
        #expect(retry.stderr.contains("partner erp: cannot connect to 127.0.0.1 port \(server.port)"), "\(retry.stderr)")
        try server.start(port: server.port)
        try await Task.sleep(for: .milliseconds(2200))  // the partner rests 2 s after the first failure
        #expect(await gateway.deliverPending() == 1)
        #expect(try ledger.transfers(state: .pending).isEmpty)
        #expect(FileManager.default.fileExists(atPath: server.root + "/in/orders/" + run.files[0].name))
    }

    static func partner(_ server: SSHServer) -> String {
        """
        partners:
          erp:
            host: 127.0.0.1
            port: \(server.port)
            user: \(server.user)
            key: file:\(server.clientKey)
            known_hosts: \(server.knownHosts)
            directory: \(server.root)
            timeout: 5s
        """
    }

    static func sha256(_ text: String) -> String? {
        try? PartnerHarness.sha256Hex(Array(text.utf8))
    }
}
