import Formats
import Foundation
import HafenTesting
import Testing
@testable import Validation

/// Duplicate keys are found from fingerprints sorted in bounded memory, spilling to disk.
struct KeyCheckTests {
    static let stockSchema = #"{"fields":[{"name":"sku"},{"name":"store"},{"name":"qty","type":"integer"}],"primaryKey":["sku","store"]}"#

    /// 5,000 rows with a duplicate every 97th row, pointing back 1,234 rows.
    static func rowsWithDuplicates() -> (csv: String, duplicates: [Int: Int]) {
        var csv = "sku,store,qty\n"
        var duplicates: [Int: Int] = [:]
        for i in 0..<5000 {
            let row = i + 2
            if i % 97 == 96 && i >= 1234 {
                csv += "S\(i - 1234),\((i - 1234) % 2 == 0 ? "A" : "B"),1\n"
                duplicates[row] = row - 1234
            } else {
                csv += "S\(i),\(i % 2 == 0 ? "A" : "B"),\(i)\n"
            }
        }
        return (csv, duplicates)
    }

    @Test func findsTheSameDuplicatesWhetherOrNotKeysSpillToDisk() throws {
        let dir = try TemporaryDirectory()
        let (csv, expected) = Self.rowsWithDuplicates()
        let schema = try TableSchema.parse(Data(Self.stockSchema.utf8), source: "stock.json")
        var results: [TableCheckResult] = []
        for budget in [16 << 20, 4096] {  // all in memory; 128 entries a run, so about 40 runs on disk
            results.append(try CSVTableCheck.run(
                source: MemorySource(csv), dialect: CSVDialect(delimiter: UInt8(ascii: ",")), schema: schema, file: "stock.csv",
                keyOptions: KeyOptions(spillDirectory: dir.path, memoryBudget: budget)))
        }
        for result in results {
            let found = Dictionary(uniqueKeysWithValues: result.diagnostics.kept.map { d -> (Int, Int) in
                let first = Int(d.message.split(separator: " ")[d.message.split(separator: " ").firstIndex(of: "row")! + 1])!
                return (d.position.row!, first)
            })
            #expect(found == expected)
            #expect(result.diagnostics.kept.map { $0.position.row! } == expected.keys.sorted())
            #expect(result.duplicateRows == expected.count)
            #expect(result.rowsRejected == expected.count)
        }
        #expect(results[0].diagnostics.kept == results[1].diagnostics.kept)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "spill files are unlinked at once")
    }

    @Test func reportsDuplicatesInRowOrderAmongCellErrors() throws {
        let schema = #"{"fields":[{"name":"sku","constraints":{"unique":true}},{"name":"n","type":"integer"}]}"#
        let result = try check("sku,n\nA,1\nB,x\nA,2\nC,y\nB,3\n", schema: schema)
        #expect(result.diagnostics.kept.map { "\($0.position.row!):\($0.code.rawValue)" } == ["3:HV205", "4:HV207", "5:HV205", "6:HV207"])
        #expect(result.diagnostics.kept[3].message == "must be unique, but the same value is in row 3 (line 3)")
    }

    @Test func tellsOnRowTheFinalVerdictAfterARestart() throws {
        let schema = try TableSchema.parse(Data(Self.stockSchema.utf8), source: "stock.json")
        var restarts = 0
        var verdicts: [Int: Bool] = [:]
        _ = try CSVTableCheck.run(
            source: MemorySource("sku,store,qty\nA,X,1\nB,X,2\nA,X,3\n"), replay: { MemorySource("sku,store,qty\nA,X,1\nB,X,2\nA,X,3\n") },
            dialect: CSVDialect(delimiter: UInt8(ascii: ",")), schema: schema, file: "s.csv",
            onRestart: {
                restarts += 1
                verdicts = [:]
            },
            onRow: { row in verdicts[row.record.number] = row.valid })
        #expect(restarts == 1)
        #expect(verdicts == [2: true, 3: true, 4: false])
    }

    @Test func reportsARepeatedKeyEvenWhenTheEarlierRowHasAnotherError() throws {
        let schema = try TableSchema.parse(Data(Self.stockSchema.utf8), source: "stock.json")
        let result = try CSVTableCheck.run(
            source: MemorySource("sku,store,qty\nA,X,1.5\nB,X,2\nA,X,3\n"), dialect: CSVDialect(delimiter: UInt8(ascii: ",")),
            schema: schema, file: "s.csv")
        #expect(result.diagnostics.kept.map { "\($0.position.row!):\($0.code.rawValue)" } == ["2:HV205", "4:HV208"])
        #expect(result.diagnostics.kept[1].message == "primary key (sku, store) is already in row 2 (line 2)")
        #expect(result.rowsRejected == 2)
    }

    @Test func leavesOutAKeyWhoseOwnCellIsInvalid() throws {
        let schema = #"{"fields":[{"name":"n","type":"integer"},{"name":"s"}],"primaryKey":["n"]}"#
        let result = try check("n,s\nx,a\nx,b\n", schema: schema)
        #expect(codes(result) == ["HV205", "HV205"])
    }

    @Test func keepsCompositeKeysApartWhenAValueHoldsTheSeparator() throws {
        let schema = #"{"fields":[{"name":"a"},{"name":"b"}],"uniqueKeys":[["a","b"]]}"#
        let result = try check("a,b\n\"x\u{1F}y\",z\nx,\"y\u{1F}z\"\n", schema: schema)
        #expect(result.diagnostics.isEmpty)
    }

    @Test func comparesKeysByValueNotSpelling() throws {
        let schema = #"{"fields":[{"name":"n","type":"number","decimalChar":","}],"primaryKey":["n"]}"#
        let result = try check("n\n\"1,50\"\n\"1,5\"\n2\n", schema: schema)
        #expect(codes(result) == ["HV208"])
        #expect(result.diagnostics.kept[0].position.row == 3)
    }

    @Test func sortsAcrossManySpilledRunsLikeAnInMemorySort() throws {
        let dir = try TemporaryDirectory()
        var sorter = ExternalSorter<KeyEntry>(directory: dir.path, memoryBudget: 4096)
        var generator = SystemRandomNumberGenerator()
        var all: [KeyEntry] = []
        for row in 0..<20_000 {
            let entry = KeyEntry(
                fingerprint: KeyFingerprint(high: UInt64.random(in: 0...50, using: &generator), low: generator.next()),
                row: UInt64(row), line: 0)
            all.append(entry)
            try sorter.append(entry)
        }
        #expect(sorter.spilledRuns > 100)
        var merged = try sorter.sorted()
        var out: [KeyEntry] = []
        while let entry = try merged.next() { out.append(entry) }
        #expect(out == all.sorted())
    }

    @Test func fingerprintsDifferForNearlyEqualKeys() {
        let hasher = KeyHasher(seedA: 1, seedB: 2)
        var seen = Set<KeyFingerprint>()
        let keys = (0..<100_000).map { "A-\(String($0, radix: 10))" } + ["", "\u{0}", "\u{0}\u{0}", "12345678", "123456789"]
        for key in keys {
            let bytes = Array(key.utf8)
            seen.insert(bytes.withUnsafeBufferPointer { hasher.fingerprint($0, salt: 0) })
        }
        #expect(seen.count == keys.count)
        let one = Array("A".utf8).withUnsafeBufferPointer { hasher.fingerprint($0, salt: 0) }
        let other = Array("A".utf8).withUnsafeBufferPointer { hasher.fingerprint($0, salt: 1) }
        #expect(one != other, "the constraint number salts the fingerprint")
    }
}
