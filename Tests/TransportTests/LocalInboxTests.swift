import Formats
import Foundation
import HafenTesting
import Logging
import Testing
import Transport

/// A local inbox as a file source: settled or marked files are ready in name order, claimed by
/// one rename, their markers removed; it prefetches nothing and records nothing.
struct LocalInboxTests {
    static func inbox(_ dir: TemporaryDirectory, readiness: SettleTracker.Rule) throws -> LocalInbox {
        try FileManager.default.createDirectory(atPath: dir.file("in"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.file("work"), withIntermediateDirectories: true)
        return LocalInbox(
            path: dir.file("in"), location: "inbox/stock", rules: SourceRules(glob: "*.csv", readiness: readiness, maxSize: 1000),
            logger: Logger(label: "test"))
    }

    @Test func aFileIsReadyOnceItStayedTheSameOverTwoLooks() async throws {
        let dir = try TemporaryDirectory()
        let inbox = try Self.inbox(dir, readiness: .stable(.zero))
        _ = try dir.write("b", to: "in/b.csv")
        _ = try dir.write("a", to: "in/a.csv")
        _ = try dir.write("x", to: "in/notes.txt")
        #expect(try await inbox.ready().isEmpty, "the first look only remembers")
        #expect(inbox.nextDeadline == .zero)
        #expect(try await inbox.ready().map(\.name) == ["a.csv", "b.csv"])
        #expect(inbox.localFolder == dir.file("in"))
        #expect(!inbox.prefetches)
    }

    @Test func waitsWhileAProcessStillHoldsTheFileOpenForWriting() async throws {
        let dir = try TemporaryDirectory()
        let inbox = try Self.inbox(dir, readiness: .stable(.zero))
        let path = try dir.write("a;b\n", to: "in/a.csv")
        let writer = try #require(FileHandle(forWritingAtPath: path), "an ERP that paused with its export open")
        _ = try await inbox.ready()
        #expect(try await inbox.ready().isEmpty, "unchanged, but still open for writing")
        #expect(try await inbox.ready().isEmpty)
        #expect(inbox.nextDeadline == .zero, "it keeps being looked at")
        try writer.close()
        #expect(try await inbox.ready().map(\.name) == ["a.csv"], "taken once the writer closed it")
        // A reader does not hold a file back.
        let reader = try #require(FileHandle(forReadingAtPath: path))
        #expect(try await inbox.ready().map(\.name) == ["a.csv"])
        try reader.close()
    }

    @Test func claimsAMarkedFileAndRemovesItsMarker() async throws {
        let dir = try TemporaryDirectory()
        let inbox = try Self.inbox(dir, readiness: .marker(suffixes: [".done"]))
        _ = try dir.write("a;b\n", to: "in/a.csv")
        #expect(try await inbox.ready().isEmpty, "no marker yet")
        _ = try dir.write("", to: "in/a.csv.done")
        let entry = try #require(try await inbox.ready().first)
        let arrival = try #require(try await inbox.fetch(entry, to: dir.file("work/1-a.csv")).arrival())
        #expect(arrival.workPath == dir.file("work/1-a.csv"))
        #expect(arrival.origin == nil && arrival.sha256 == nil && arrival.verb == "claimed")
        #expect(try dir.read("work/1-a.csv") == "a;b\n")
        #expect(dir.list("in").isEmpty, "the file and its marker are gone from the inbox")
        #expect(try await inbox.release(arrival, fileID: 1) == nil, "nothing to record for a local file")
    }

    @Test func aFileAnotherProcessClaimedFirstIsNotTaken() async throws {
        let dir = try TemporaryDirectory()
        let inbox = try Self.inbox(dir, readiness: .stable(.zero))
        _ = try dir.write("a", to: "in/a.csv")
        _ = try await inbox.ready()
        let entry = try #require(try await inbox.ready().first)
        let pending = inbox.fetch(entry, to: dir.file("work/1-a.csv"))
        try FileManager.default.moveItem(atPath: dir.file("in/a.csv"), toPath: dir.file("elsewhere.csv"))
        #expect(try await pending.arrival() == nil)
    }

    @Test func aRefusedFileIsSetAsideIntoTheWorkArea() async throws {
        let dir = try TemporaryDirectory()
        let inbox = try Self.inbox(dir, readiness: .stable(.zero))
        try FileManager.default.createSymbolicLink(atPath: dir.file("in/a.csv"), withDestinationPath: "/etc/passwd")
        _ = try await inbox.ready()
        let entry = try #require(try await inbox.ready().first)
        #expect(inbox.refusal(of: entry)?.code == .symlinkRefused)
        let arrival = try #require(try await inbox.setAside(entry, to: dir.file("work/1-a.csv")))
        #expect(arrival.workPath == dir.file("work/1-a.csv"))
        #expect(dir.list("in").isEmpty, "the link left the inbox (it goes to failed/ with its report)")
    }
}
