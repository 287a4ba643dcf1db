import Foundation
import HafenTesting
import Testing
import Transport

struct LocalDirectoryTests {
    @Test func listsEntriesWithoutFollowingLinks() throws {
        let dir = try TemporaryDirectory()
        try Data("a;b\n".utf8).write(to: URL(fileURLWithPath: dir.file("b.csv")))
        try FileManager.default.createSymbolicLink(atPath: dir.file("a.csv"), withDestinationPath: "/etc/passwd")
        try FileManager.default.createDirectory(atPath: dir.file("sub"), withIntermediateDirectories: false)
        let entries = try LocalDirectory(path: dir.path).list()
        #expect(entries.map(\.name) == ["a.csv", "b.csv", "sub"])
        #expect(entries.map(\.kind) == [.symlink, .regular, .directory])
        #expect(entries[1].size == 4)
    }

    @Test func listsAMissingDirectoryAsEmpty() throws {
        #expect(try LocalDirectory(path: "/nonexistent/hafen/inbox").list().isEmpty)
    }

    @Test func claimsAFileOnceEvenIfAskedTwice() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.file("work"), withIntermediateDirectories: false)
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir.file("a.csv")))
        let inbox = LocalDirectory(path: dir.path)
        let entry = try #require(try inbox.list().first { $0.name == "a.csv" })
        #expect(try inbox.claim(entry, to: dir.file("work/1-a.csv")))
        #expect(try !inbox.claim(entry, to: dir.file("work/2-a.csv")), "the second claim finds nothing to take")
        #expect(FileManager.default.fileExists(atPath: dir.file("work/1-a.csv")))
        #expect(!FileManager.default.fileExists(atPath: dir.file("work/2-a.csv")))
    }

    @Test func findsAndRemovesDoneMarkers() throws {
        let dir = try TemporaryDirectory()
        try Data().write(to: URL(fileURLWithPath: dir.file("a.csv.done")))
        let inbox = LocalDirectory(path: dir.path)
        #expect(inbox.contains("a.csv.done"))
        inbox.remove("a.csv.done")
        #expect(!inbox.contains("a.csv.done"))
        inbox.remove("a.csv.done")  // a missing marker is fine
    }
}
