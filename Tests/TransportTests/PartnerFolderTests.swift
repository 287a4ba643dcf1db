import Formats
import Crypto
import Foundation
import HafenTesting
import Logging
import SFTP
import Testing
import Transport

/// A partner's folder as a file source, against a real OpenSSH server on loopback: settled files
/// are downloaded whole and checked, the partner's copy kept (and remembered), deleted or moved,
/// refused files left there; and a partner's server as a destination that never overwrites.
@Suite(.serialized) struct PartnerFolderTests {
    /// What the ledger would remember, kept in memory.
    final class Memory: PickupMemory {
        var records: [RecalledPickup] = []

        func recall(_ origin: RemoteOrigin) throws -> RecalledPickup? {
            records.last { $0.origin == origin }
        }

        func released(_ transferID: Int64, disposition: String) throws {
            guard let index = records.firstIndex(where: { $0.transferID == transferID }) else { return }
            records[index].awaitsRelease = false
            records[index].isFinished = true
            records[index].disposition = disposition
        }

        /// What the gateway does once it registered an arrival.
        func remember(_ arrival: Arrival, id: Int64, disposition: String?) {
            records.append(RecalledPickup(
                transferID: id, fileID: id, origin: arrival.origin!, awaitsRelease: disposition == nil, isFinished: disposition != nil,
                disposition: disposition))
        }
    }

    struct Setup {
        let server: SSHServer
        let work: TemporaryDirectory
        let links: PartnerLinks
        let memory = Memory()

        init() throws {
            server = try SSHServer()
            work = try TemporaryDirectory()
            try FileManager.default.createDirectory(atPath: server.root + "/out", withIntermediateDirectories: true)
            links = PartnerLinks(endpoints: ["erp": server.endpoint()], logger: Logger(label: "test")) { _ in }
        }

        func folder(_ afterPickup: AfterPickup = .keep, readiness: SettleTracker.Rule = .stable(.zero)) -> PartnerFolder {
            PartnerFolder(
                partner: "erp", partnerDirectory: server.root, folder: "out", location: "sftp://erp/out",
                rules: SourceRules(glob: "*.csv", readiness: readiness, maxSize: 1 << 20), afterPickup: afterPickup, workArea: work.path,
                flow: "stock", links: links, memory: memory, logger: Logger(label: "test"))
        }

        func put(_ text: String, as name: String) throws {
            try text.write(toFile: server.root + "/out/" + name, atomically: false, encoding: .utf8)
        }
    }

    @Test func downloadsASettledFileWholeWithItsChecksumAndRemembersAKeptCopy() async throws {
        let s = try Setup()
        let folder = s.folder()
        try s.put("sku;qty\nA;1\n", as: "stock-2.csv")
        try s.put("sku;qty\nB;2\n", as: "stock-1.csv")
        #expect(try await folder.ready().isEmpty, "one listing is not enough to know a file is complete")
        let ready = try await folder.ready()
        #expect(ready.map(\.name) == ["stock-1.csv", "stock-2.csv"], "in name order")
        #expect(folder.prefetches && folder.localFolder == nil)
        let arrival = try #require(try await folder.fetch(ready[0], to: s.work.file("1-stock-1.csv")).arrival())
        #expect(try s.work.read("1-stock-1.csv") == "sku;qty\nB;2\n")
        #expect(arrival.sha256 == SHA256.hash(data: Array("sku;qty\nB;2\n".utf8)).map { String(format: "%02x", $0) }.joined())
        #expect(arrival.origin == RemoteOrigin(partner: "erp", path: s.server.root + "/out/stock-1.csv", size: 12, modified: ready[0].modified / 1_000_000_000))
        #expect(arrival.verb == "fetched" && arrival.details["partner"] == "erp")
        #expect(s.work.list("").filter { $0.hasSuffix(".part") || $0.hasSuffix(".meta") }.isEmpty, "no part file is left")
        let disposition = try await folder.release(arrival, fileID: 1)
        #expect(disposition == "kept")
        s.memory.remember(arrival, id: 1, disposition: disposition)
        folder.forget(ready[0])
        _ = try await folder.ready()
        #expect(try await folder.ready().map(\.name) == ["stock-2.csv"], "a kept file is not taken twice")
    }

    @Test func movesTheCopyAsideWithoutClobberingAndDeletesItsMarker() async throws {
        let s = try Setup()
        let folder = s.folder(.move("done"), readiness: .marker(suffixes: [".ok"]))
        try FileManager.default.createDirectory(atPath: s.server.root + "/done", withIntermediateDirectories: true)
        try s.put("old", as: "../done/a.csv")
        try s.put("a;b\n", as: "a.csv")
        #expect(try await folder.ready().isEmpty, "no marker yet")
        try s.put("", as: "a.csv.ok")
        let entry = try #require(try await folder.ready().first)
        let arrival = try #require(try await folder.fetch(entry, to: s.work.file("7-a.csv")).arrival())
        let disposition = try await folder.release(arrival, fileID: 7)
        #expect(disposition == s.server.root + "/done/7-a.csv", "the name there was taken")
        #expect(try String(contentsOfFile: s.server.root + "/done/a.csv", encoding: .utf8) == "old")
        #expect(try String(contentsOfFile: s.server.root + "/done/7-a.csv", encoding: .utf8) == "a;b\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.server.root + "/out").isEmpty, "file and marker are gone")
    }

    @Test func putsAwayACopyACrashLeftBeforeListingAgain() async throws {
        let s = try Setup()
        let folder = s.folder(.delete)
        try s.put("x", as: "a.csv")
        _ = try await folder.ready()
        let entry = try #require(try await folder.ready().first)
        let arrival = try #require(try await folder.fetch(entry, to: s.work.file("1-a.csv")).arrival())
        s.memory.remember(arrival, id: 1, disposition: nil)  // registered, then the process died
        let restarted = s.folder(.delete)
        _ = try await restarted.ready()
        #expect(try await restarted.ready().isEmpty, "not taken again")
        #expect(!FileManager.default.fileExists(atPath: s.server.root + "/out/a.csv"), "deleted now")
        #expect(s.memory.records.first?.disposition == "deleted")
    }

    @Test func leavesARefusedFileOnTheServer() async throws {
        let s = try Setup()
        let folder = s.folder(.delete)
        try FileManager.default.createSymbolicLink(atPath: s.server.root + "/out/a.csv", withDestinationPath: "/etc/passwd")
        _ = try await folder.ready()
        let entry = try #require(try await folder.ready().first)
        let refusal = try #require(folder.refusal(of: entry))
        #expect(refusal.code == .symlinkRefused && refusal.message.hasSuffix("it was left on the server"))
        let arrival = try #require(try await folder.setAside(entry, to: s.work.file("1-a.csv")))
        #expect(arrival.workPath == nil)
        #expect(try await folder.release(arrival, fileID: 1) == PartnerFolder.refusedDisposition)
        #expect(FileManager.default.fileExists(atPath: s.server.root + "/out/a.csv"))
    }

    @Test func aPartnerThatIsDownRestsAndListsNothingUntilItsBackoffEnds() async throws {
        let s = try Setup()
        let folder = s.folder()
        s.server.stop()
        do {
            _ = try await folder.ready()
            Issue.record("listing a stopped server succeeded")
        } catch {
            #expect(folder.assess(error, doing: "listing sftp://erp/out") == .source)
        }
        #expect(try await folder.ready().isEmpty, "resting: not even tried")
        #expect(s.links.failing.map(\.partner) == ["erp"])
    }

    @Test func deliversUnderATemporaryNameAndNeverOverwritesOtherBytes() async throws {
        let s = try Setup()
        let destination = PartnerDestination(partner: "erp", links: s.links, scratch: s.work.path)
        let local = try s.work.write("order 1\n", to: "order-1.csv")
        let remote = s.server.root + "/in/orders/order-1.csv"
        #expect(try await destination.put(local, at: remote) == .sent, "missing folders are made")
        #expect(try String(contentsOfFile: remote, encoding: .utf8) == "order 1\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.server.root + "/in/orders") == ["order-1.csv"], "no temporary name left")
        #expect(try await destination.put(local, at: remote) == .alreadyThere)
        let other = try s.work.write("order 2\n", to: "order-2.csv")
        await #expect(throws: DeliveryConflict.self) { try await destination.put(other, at: remote) }
        #expect(try String(contentsOfFile: remote, encoding: .utf8) == "order 1\n")
        #expect(!destination.isResting)
    }
}
