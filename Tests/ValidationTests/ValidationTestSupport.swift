import Formats
import Foundation
import Validation

/// Validates CSV text against a schema given as JSON; returns the diagnostics and the result.
func check(
    _ csv: String, schema json: String, delimiter: String = ",", header: Bool = true,
    trailingDelimiter: CSVDialect.TrailingDelimiter = .auto
) throws -> TableCheckResult {
    let schema = try TableSchema.parse(Data(json.utf8), source: "test.schema.json")
    var dialect = CSVDialect(delimiter: Array(delimiter.utf8)[0], header: header)
    dialect.trailingDelimiter = trailingDelimiter
    return try CSVTableCheck.run(source: MemorySource(csv), dialect: dialect, schema: schema, file: "test.csv")
}

func codes(_ result: TableCheckResult) -> [String] {
    result.diagnostics.kept.map(\.code.rawValue)
}

/// Casts one cell with a one-field schema; nil when the cell is valid.
func castProblem(_ cell: String, field: String) throws -> Diagnostic? {
    let schema = "{\"fields\": [\(field)]}"
    let csv = "name\n" + (cell.contains(",") || cell.contains("\"") || cell.isEmpty ? "\"\(cell.replacingOccurrences(of: "\"", with: "\"\""))\"" : cell) + "\n"
    let result = try check(csv, schema: schema)
    precondition(result.rowsRead == 1 || cell.isEmpty)
    return result.diagnostics.kept.first
}
