import Crypto
import Foundation
import Gateway
import HafenTesting
import Ledger
import Testing

/// Flows that fetch from a partner's real OpenSSH server: complete files only, each once,
/// the partner's copy put away as configured, every step in the ledger.
@Suite struct SFTPPickupTests {
    @Test func fetchesACompleteFileAndMovesItOnTheServer() async throws {
        let h = try PartnerHarness(flow: "    move_to: out/stock/done")
        try h.put(PartnerHarness.stockFile, at: "out/stock/bestand.csv")
        let gateway = try h.gateway()
        #expect(await gateway.scanOnce().finished.isEmpty, "taken at the first listing, before it could settle")
        let finished = await gateway.scanOnce().finished
        let entry = try #require(finished.first)
        #expect(finished.count == 1)
        #expect(entry.state == .done)
        #expect(entry.source == "sftp://erp/out/stock")
        #expect(entry.sha256 == SHA256.hash(data: Data(PartnerHarness.stockFile.utf8)).map { String(format: "%02x", $0) }.joined())
        #expect(h.remote("out/stock") == ["done"])
        #expect(h.remote("out/stock/done") == ["bestand.csv"])
        let transfers = try h.ledger().transfers(fileID: entry.id)
        #expect(transfers.count == 1)
        #expect(transfers.first?.state == .done)
        #expect(transfers.first?.disposition == h.server.root + "/out/stock/done/bestand.csv")
        #expect(transfers.first?.sha256 == entry.sha256)
        #expect(h.dir.list("archive/" + String(entry.receivedAt.formatted(.iso8601.year().month().day()))) == ["bestand.csv"])
        // A second file of the same name goes to the archive folder beside the first.
        try h.put(PartnerHarness.stockFile.replacingOccurrences(of: ";5;", with: ";6;"), at: "out/stock/bestand.csv")
        #expect(await h.scan(gateway).count == 1)
        #expect(h.remote("out/stock/done").count == 2)
    }

    @Test func aFileStillGrowingWaitsUntilItSettles() async throws {
        let h = try PartnerHarness()
        let path = try h.put(PartnerHarness.stockHeader + "A-1;HAUPT;5;0;01.01.2026 10:00\r\n", at: "out/stock/wachsend.csv")
        let gateway = try h.gateway()
        #expect(await gateway.scanOnce().finished.isEmpty)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("A-2;HAUPT;7;0;01.01.2026 10:00\r\n".utf8))
        try handle.close()
        #expect(await gateway.scanOnce().finished.isEmpty, "taken while it was still growing")
        let finished = await gateway.scanOnce().finished
        #expect(finished.count == 1)
        #expect(finished.first?.rowsRead == 2, "the whole file, both rows")
    }

    @Test func aDoneMarkerReleasesTheFileAndIsRemovedWithIt() async throws {
        let h = try PartnerHarness(flow: "    done_marker: .ok\n    after_pickup: delete")
        try h.put(PartnerHarness.stockFile, at: "out/stock/a.csv")
        let gateway = try h.gateway()
        #expect(await h.scan(gateway, passes: 3).isEmpty, "taken without its marker")
        try h.put("", at: "out/stock/a.csv.ok")
        let finished = await gateway.scanOnce().finished
        #expect(finished.map(\.state) == [.done])
        #expect(h.remote("out/stock").isEmpty, "the file and its marker are deleted after the pick-up")
        #expect(try h.ledger().transfers(fileID: finished[0].id).first?.disposition == "deleted")
    }

    @Test func aKeptFileIsRememberedAndNotTakenTwice() async throws {
        let h = try PartnerHarness(flow: "    after_pickup: keep")
        try h.put(PartnerHarness.stockFile, at: "out/stock/a.csv")
        let gateway = try h.gateway()
        #expect(await h.scan(gateway, passes: 4).count == 1)
        #expect(h.remote("out/stock") == ["a.csv"])
        // A new gateway (a restart) remembers it through the ledger.
        #expect(await h.scan(try h.gateway(), passes: 3).isEmpty)
        // New content under the same name is a new file.
        try h.put(PartnerHarness.stockFile + "B-2;HAUPT;1;0;01.01.2026 10:00\r\n", at: "out/stock/a.csv")
        let again = await h.scan(gateway, passes: 3)
        #expect(again.map(\.rowsRead) == [2])
        #expect(try h.ledger().files(flow: "stock").count == 2)
    }

    @Test func theSameContentUnderANewNameIsADuplicateNotAppliedTwice() async throws {
        let h = try PartnerHarness(flow: "    after_pickup: delete")
        try h.put(PartnerHarness.stockFile, at: "out/stock/a.csv")
        let gateway = try h.gateway()
        #expect(await h.scan(gateway).map(\.state) == [.done])
        try h.put(PartnerHarness.stockFile, at: "out/stock/b.csv")
        #expect(await h.scan(gateway).map(\.state) == [.duplicate])
    }

    @Test func onePassTakesManyFilesEachOnceWithARefusalAndABadFileAmongThem() async throws {
        // The next file downloads while the current one is processed: every file is still
        // registered, checked, put away and processed exactly once, in name order.
        let h = try PartnerHarness(flow: "    move_to: out/stock/done")
        for index in 1...6 {
            try h.put(PartnerHarness.stockFile.replacingOccurrences(of: ";5;", with: ";\(index);"), at: "out/stock/f\(index).csv")
        }
        try h.put(PartnerHarness.stockFile + "A-9;HAUPT;viele;0;01.01.2026 10:00\r\n", at: "out/stock/f3b.csv")
        let target = try h.put(PartnerHarness.stockFile, at: "secret/x.csv")
        try FileManager.default.createSymbolicLink(atPath: h.server.root + "/out/stock/f4b.csv", withDestinationPath: target)
        let gateway = try h.gateway()
        let finished = await h.scan(gateway, passes: 3)
        #expect(finished.map(\.name) == ["f1.csv", "f2.csv", "f3.csv", "f3b.csv", "f4.csv", "f4b.csv", "f5.csv", "f6.csv"])
        #expect(finished.map(\.state) == [.done, .done, .done, .partial, .done, .failed, .done, .done])
        #expect(h.remote("out/stock") == ["done", "f4b.csv"])
        #expect(h.remote("out/stock/done").count == 7)
        let transfers = try h.ledger().transfers(state: .done)
        #expect(transfers.count == 8)
        #expect(Set(transfers.compactMap(\.fileID)) == Set(finished.map(\.id)))
        #expect(h.dir.list(".hafen/processing/stock").filter { $0.hasPrefix(".sftp-") }.isEmpty, "a download was left behind")
        #expect(await h.scan(gateway, passes: 2).isEmpty)
    }

    @Test func aSymlinkOnTheServerIsRefusedOnceAndLeftThere() async throws {
        let h = try PartnerHarness()
        let target = try h.put(PartnerHarness.stockFile, at: "secret/passwd.csv")
        try FileManager.default.createSymbolicLink(atPath: h.server.root + "/out/stock/link.csv", withDestinationPath: target)
        let gateway = try h.gateway()
        let finished = await h.scan(gateway, passes: 4)
        #expect(finished.map(\.state) == [.failed])
        #expect(finished.first?.errorSummary?.contains("symbolic link") == true)
        #expect(h.remote("out/stock") == ["link.csv"])
        let receipt = try h.dir.read("failed/link.csv.receipt.json")
        #expect(receipt.contains("sftp://erp/out/stock/link.csv"), "\(receipt)")
    }

    @Test func aChangedHostKeyPausesThePartnerWhileLocalFlowsGoOn() async throws {
        let h = try PartnerHarness()
        try h.server.rotateHostKey()
        try h.put(PartnerHarness.stockFile, at: "out/stock/a.csv")
        _ = try h.dir.write(Array(PartnerHarness.stockFile.utf8), to: "inbox/local/lokal.csv")
        let gateway = try h.gateway()
        let finished = await h.scan(gateway, passes: 3)
        #expect(finished.map(\.flow) == ["local"])
        #expect(h.remote("out/stock") == ["a.csv"])
        let paused = try h.ledger().activity(limit: 50).filter { $0.event == "partner paused" }
        #expect(paused.count == 1, "paused once, not at every pass")
        #expect(paused.first?.message.contains("SHA256:") == true, "\(paused.first?.message ?? "")")
        #expect(gateway.nextWake <= .seconds(30))
    }

    @Test func aWrongKeyPausesThePartnerWithTheServersAnswer() async throws {
        let server = try SSHServer()
        let stranger = try server.makeKey("stranger")
        let h = try PartnerHarness(server: server)
        let yaml = try h.dir.read("hafen.yaml").replacingOccurrences(of: "key: file:\(server.clientKey)", with: "key: file:\(stranger)")
        _ = try h.dir.write(yaml, to: "hafen.yaml")
        try h.put(PartnerHarness.stockFile, at: "out/stock/a.csv")
        #expect(await h.scan(try h.gateway()).isEmpty)
        let paused = try h.ledger().activity(limit: 50).first { $0.event == "partner paused" }
        #expect(paused?.message.contains("erp") == true)
    }

    @Test func aDownloadCutMidwayIsResumedAndProcessedOnce() async throws {
        let server = try SSHServer()
        // Each connection breaks after 5 MB: the 5.6 MB file's download is cut wherever it
        // starts (on a loaded machine a first connection may fail before it, for other reasons),
        // and the rest, 1.7 MB, fits in the next connection.
        let proxy = try CuttingProxy(to: server.port, cuts: Array(repeating: 5_000_000, count: 4))
        let h = try PartnerHarness(partner: "    host_key: \(try server.fingerprint)", port: proxy.port, server: server)
        var text = PartnerHarness.stockHeader
        for n in 0..<180_000 { text += "A-\(n);HAUPT;\(n % 97);0;01.01.2026 10:00\r\n" }
        try h.put(text, at: "out/stock/gross.csv")
        let gateway = try h.gateway()
        func parts() -> [String] { h.dir.list(".hafen/processing/stock").filter { $0.hasSuffix(".part") } }
        #expect(await h.scan(gateway).isEmpty, "a broken download was processed")
        // The partner rests two seconds after a network failure.
        for _ in 0..<3 where parts().isEmpty {
            try await Task.sleep(for: .milliseconds(2200))
            #expect(await h.scan(gateway, passes: 1).isEmpty, "a broken download was processed")
        }
        #expect(h.remote("out/stock") == ["gross.csv"])
        let partSize = try parts().first.map { try FileManager.default.attributesOfItem(atPath: h.dir.file(".hafen/processing/stock/" + $0))[.size] as? Int ?? 0 }
        let activity = try h.ledger().activity(limit: 10).map(\.message)
        #expect(parts().count == 1 && (partSize ?? 0) > 0, "the part kept: \(parts()), \(partSize ?? -1) bytes; \(proxy.connections) connections; activity: \(activity)")
        // The rest after failures doubles (2 s, 4 s …): a loaded machine may need more than one wait.
        var finished: [FileEntry] = []
        for _ in 0..<6 where finished.isEmpty {
            try await Task.sleep(for: .milliseconds(2200))
            finished = await h.scan(gateway, passes: 1)
        }
        #expect(finished.map(\.state) == [.done])
        #expect(finished.first?.rowsRead == 180_000)
        #expect(finished.first?.sha256 == SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined())
        let fetched = try h.ledger().activity(fileID: try #require(finished.first).id, limit: 50).first { $0.event == "received" }
        #expect(fetched?.message.contains("resumed at byte") == true, "\(fetched?.message ?? "")")
        #expect(try h.ledger().files(flow: "stock").count == 1)
        #expect(!h.dir.list(".hafen/processing/stock").contains { $0.hasSuffix(".part") })
    }

    @Test func aCrashAfterTheDownloadLosesNothingAndTakesNothingTwice() async throws {
        let h = try PartnerHarness(flow: "    move_to: out/stock/done")
        try h.put(PartnerHarness.stockFile, at: "out/stock/a.csv")
        // Fetched and registered, then killed before the partner's copy is moved.
        let crashed = try h.hafen(["run", "--once"], environment: ["HAFEN_CRASH_AT": "claimed"])
        #expect(crashed.status == 137, "\(crashed.stderr)")
        #expect(h.remote("out/stock").contains("a.csv"))
        let restarted = try h.hafen(["run", "--once"])
        #expect(restarted.status == 0, "\(restarted.stderr)")
        let files = try h.ledger().files(flow: "stock")
        #expect(files.map(\.state) == [.done])
        #expect(h.remote("out/stock/done") == ["a.csv"])
        #expect(try h.ledger().transfers(fileID: files[0].id).map(\.state) == [.done])
    }

    @Test func runOnceExitsWithOneNamingAPartnerItCouldNotReach() async throws {
        let closed = DaemonProcess.freePort()
        let h = try PartnerHarness(port: closed)
        let run = try h.hafen(["run", "--once"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("partner erp: cannot connect to 127.0.0.1 port \(closed)"), "\(run.stderr)")
    }
}
