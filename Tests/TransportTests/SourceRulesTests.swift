import Formats
import Testing
import Transport

/// Which listed names a flow looks at and which it refuses unread — the same rules for a local
/// inbox and a partner's folder.
struct SourceRulesTests {
    static func entry(_ name: String, kind: InboxEntry.Kind = .regular, size: Int64 = 10) -> InboxEntry {
        InboxEntry(nameBytes: Array(name.utf8), kind: kind, size: size, modified: 1, device: 1, inode: 1)
    }

    let rules = SourceRules(glob: "*.csv", readiness: .marker(suffixes: [".done"]), maxSize: 100)

    @Test func looksOnlyAtMatchingFinishedNames() {
        #expect(rules.isCandidate(Self.entry("stock.csv")))
        #expect(!rules.isCandidate(Self.entry("stock.txt")), "outside the glob")
        #expect(!rules.isCandidate(Self.entry(".stock.csv")), "hidden: still being written by convention")
        #expect(!rules.isCandidate(Self.entry("stock.csv.part")))
        #expect(!rules.isCandidate(Self.entry("stock.csv.done")), "a done-marker is not a file to take")
        #expect(!rules.isCandidate(Self.entry("archive.csv", kind: .directory)))
        #expect(rules.isCandidate(Self.entry("-x.txt")), "a refused name is looked at, to be reported")
    }

    @Test func refusesLinksOddFilesAndOversizedFilesSayingWhereTheyStay() throws {
        #expect(rules.refusal(of: Self.entry("a.csv"), onServer: false) == nil)
        let link = try #require(rules.refusal(of: Self.entry("a.csv", kind: .symlink), onServer: false))
        #expect(link.code == .symlinkRefused)
        #expect(link.message == "\"a.csv\" is a symbolic link; Hafen only takes regular files")
        let remote = try #require(rules.refusal(of: Self.entry("a.csv", kind: .symlink), onServer: true))
        #expect(remote.message == "\"a.csv\" is a symbolic link on the server; Hafen only takes regular files; it was left on the server")
        #expect(rules.refusal(of: Self.entry("a.csv", kind: .other), onServer: false)?.code == .notRegularFile)
        let large = try #require(rules.refusal(of: Self.entry("a.csv", size: 101), onServer: false))
        #expect(large.code == .fileTooLarge)
        #expect(large.message == "the file has 101 bytes, over the flow's limit of 100")
        #expect(rules.refusal(of: Self.entry("-a.csv"), onServer: false)?.code == .badFileName)
    }

    @Test func namesTheDoneMarkerSuffixesOnlyForMarkerReadiness() {
        #expect(rules.markerSuffixes == [".done"])
        #expect(SourceRules(glob: "*", readiness: .stable(.seconds(2)), maxSize: 1).markerSuffixes.isEmpty)
    }
}
