import Formats
import Foundation
import HafenTesting
import Testing
import Validation

/// Acceptance: every defect `gen_erp_export.py` injects is reported on its row, and nothing else.
@Suite(.enabled(if: SharedFolder.testsEnabled, "../shared is absent; set HAFEN_SHARED or run in CI"))
struct GeneratedExportTests {
    static func germanDialect() -> CSVDialect {
        var dialect = CSVDialect(delimiter: UInt8(ascii: ";"))
        dialect.encoding = .windows1252
        return dialect
    }

    static func flaggedRows(_ path: String, schema: String) throws -> (rows: [Int: Set<DiagnosticCode>], result: TableCheckResult) {
        var rows: [Int: Set<DiagnosticCode>] = [:]
        let result = try CSVTableCheck.run(
            path: path, dialect: germanDialect(),
            schema: try TableSchema.load(path: SharedFolder.projectRoot + "/schemas/\(schema)"), file: path,
            diagnosticCap: 1_000_000)
        for diagnostic in result.diagnostics.kept {
            rows[diagnostic.position.row!, default: []].insert(diagnostic.code)
        }
        return (rows, result)
    }

    @Test func reportsEveryInjectedProductDefectAndNothingOnCleanRows() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("products.csv")
        let defects = try ProcessRunner.generateExport("products", rows: 20000, defects: 0.02, to: path)
        #expect(defects.count > 300)
        let (flagged, result) = try Self.flaggedRows(path, schema: "products.schema.json")
        #expect(result.rowsRead == 20000)
        #expect(!result.fileError)
        let expectedCode: [String: Set<DiagnosticCode>] = [
            "missing-sku": [.requiredValue], "bad-ean": [.badCheckDigit], "bad-price": [.wrongType],
            "bad-vat": [.notAllowed], "duplicate-sku": [.duplicateKey],
        ]
        for (row, kind) in defects {
            // A "duplicate" of a row whose SKU was itself removed is a missing SKU.
            let allowed = expectedCode[kind]!.union(kind == "duplicate-sku" ? [.requiredValue] : [])
            let found = flagged[row] ?? []
            #expect(!found.isDisjoint(with: allowed), "row \(row) (\(kind)) reported \(found)")
        }
        let unexpected = Set(flagged.keys).subtracting(defects.keys)
        #expect(unexpected.isEmpty, "clean rows flagged: \(unexpected.sorted().prefix(10))")
        #expect(result.rowsRejected == defects.count)
    }

    @Test func reportsEveryInjectedStockDefect() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("stock.csv")
        let defects = try ProcessRunner.generateExport("stock", rows: 20000, defects: 0.01, to: path)
        let (flagged, result) = try Self.flaggedRows(path, schema: "stock.schema.json")
        let expectedCode: [String: DiagnosticCode] = ["negative-stock": .belowMinimum, "bad-number": .wrongType, "missing-sku": .requiredValue]
        for (row, kind) in defects {
            #expect(flagged[row]?.contains(expectedCode[kind]!) == true, "row \(row) (\(kind)) reported \(flagged[row] ?? [])")
        }
        #expect(Set(flagged.keys) == Set(defects.keys))
        #expect(result.rowsValid == 20000 - defects.count)
    }
}
