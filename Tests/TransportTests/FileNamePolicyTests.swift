import Testing
import Transport

struct FileNamePolicyTests {
    @Test func ignoresNamesStillBeingWritten() {
        for name in ["stock.csv.tmp", "stock.csv.part", ".stock.csv", "~stock.csv", "stock.csv~", "STOCK.TMP"] {
            #expect(FileNamePolicy.isTemporary(name), "\(name)")
        }
        #expect(!FileNamePolicy.isTemporary("stock-20261122.csv"))
    }

    @Test func refusesNamesThatCouldEscapeOrConfuse() {
        #expect(FileNamePolicy.problem(with: Array("a/b.csv".utf8)) == "the name contains a path separator")
        #expect(FileNamePolicy.problem(with: Array("a\\b.csv".utf8)) == "the name contains a path separator")
        #expect(FileNamePolicy.problem(with: Array("a\nb.csv".utf8)) == "the name contains a control character")
        #expect(FileNamePolicy.problem(with: Array("-rf.csv".utf8)) == "the name starts with '-'")
        #expect(FileNamePolicy.problem(with: [0x66, 0xFF, 0x2E]) == "the name is not valid UTF-8")
        #expect(FileNamePolicy.problem(with: Array(repeating: 0x61, count: 256)) == "the name is longer than 255 bytes")
        #expect(FileNamePolicy.problem(with: Array("Bestand März.csv".utf8)) == nil)
    }

    @Test func escapesUnprintableBytesForLogsAndReports() {
        #expect(FileNamePolicy.escaped([0x61, 0x0A, 0x62]) == "a\\x0Ab")
        #expect(FileNamePolicy.escaped([0x61, 0xFF]) == "a\\xFF")
        #expect(FileNamePolicy.escaped(Array("plain.csv".utf8)) == "plain.csv")
    }

    @Test func keepsLettersOfAValidNameRefusedForItsLength() {
        let long = String(repeating: "ä", count: 148) + ".csv"
        #expect(FileNamePolicy.escaped(Array(long.utf8)) == long)
        #expect(FileNamePolicy.escaped(Array("März\nneu.csv".utf8)) == "März\\x0Aneu.csv")
        #expect(FileNamePolicy.escaped(Array("-a\u{202E}vsc.exe".utf8)) == "-a\\xE2\\x80\\xAEvsc.exe", "a right-to-left override is shown, not applied")
        #expect(FileNamePolicy.escaped(Array("-Straße\u{85}.csv".utf8)) == "-Straße\\xC2\\x85.csv")
    }

    @Test func matchesShellGlobs() {
        #expect(FileNamePolicy.matches("stock-1.csv", glob: "*.csv"))
        #expect(FileNamePolicy.matches("stock-1.csv", glob: "stock-?.csv"))
        #expect(FileNamePolicy.matches("stock-1.csv", glob: "stock-[0-9].csv"))
        #expect(!FileNamePolicy.matches("stock-1.CSV", glob: "*.csv"))
        #expect(!FileNamePolicy.matches("products.csv", glob: "stock*"))
    }
}
