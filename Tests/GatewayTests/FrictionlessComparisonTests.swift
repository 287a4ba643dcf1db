import Foundation
import Formats
import HafenTesting
import Testing
import Validation

/// Hafen and the `frictionless` reference tool flag the same rows of a generated export
/// (apart from Hafen's GTIN rule, which frictionless does not know).
@Suite(.enabled(if: SharedFolder.testsEnabled, "../shared is absent; set HAFEN_SHARED or run in CI"))
struct FrictionlessComparisonTests {
    static var tool: String? {
        let path = ProcessInfo.processInfo.environment["HAFEN_FRICTIONLESS"] ?? SharedFolder.projectRoot + "/.build-venv/bin/frictionless"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Several seeds of each kind; products at 1.5% defects is where a repeated key after a row
    /// with another error used to go unreported.
    @Test(arguments: [("products", 20000, 0.02, 7), ("products", 20000, 0.015, 11), ("products", 20000, 0.015, 23),
                      ("stock", 20000, 0.01, 7), ("stock", 20000, 0.01, 42)])
    func flagsTheSameRowsAsFrictionless(kind: String, rows: Int, defects: Double, seed: Int) throws {
        let tool = try #require(Self.tool, "frictionless is not installed: run `make tools`")
        let dir = try TemporaryDirectory()
        let csv = dir.file("\(kind).csv")
        try ProcessRunner.generateExport(kind, rows: rows, seed: seed, defects: defects, to: csv)
        try FileManager.default.copyItem(atPath: SharedFolder.projectRoot + "/schemas/\(kind).schema.json", toPath: dir.file("schema.json"))
        let run = try ProcessRunner.run(tool, [
            "validate", "--json", "--trusted", "--schema", "schema.json", "--dialect", #"{"delimiter":";"}"#,
            "--encoding", "cp1252", "--limit-errors", "1000000", "\(kind).csv",
        ], in: dir.path)
        let report = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        let task = (report["tasks"] as! [[String: Any]])[0]
        let theirs = Set((task["errors"] as! [[String: Any]]).compactMap { $0["rowNumber"] as? Int })
        #expect(!theirs.isEmpty, "frictionless reported nothing: \(run.stdout.prefix(500))")

        var dialect = CSVDialect(delimiter: UInt8(ascii: ";"))
        dialect.encoding = .windows1252
        let result = try CSVTableCheck.run(
            path: csv, dialect: dialect, schema: try TableSchema.load(path: dir.file("schema.json")),
            file: csv, diagnosticCap: 1_000_000)
        var codesByRow: [Int: Set<DiagnosticCode>] = [:]
        for d in result.diagnostics.kept { codesByRow[d.position.row!, default: []].insert(d.code) }
        let ours = Set(codesByRow.filter { $0.value != [.badCheckDigit] }.keys)
        #expect(ours == theirs, "only Hafen: \(ours.subtracting(theirs).sorted().prefix(10)); only frictionless: \(theirs.subtracting(ours).sorted().prefix(10))")
    }
}
