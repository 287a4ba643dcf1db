public import Formats
public import Validation

/// `hafen validate`: a file checked by the daemon's check stage without mapping, changing
/// nothing.
public enum FileValidation {
    /// Checks `path` as `flow` reads it (its format, schema and dialect).
    public static func run(path: String, flow: FlowConfig, diagnosticCap: Int) throws -> TableCheckResult {
        try CheckStage(flow: flow, diagnosticCap: diagnosticCap, mapping: false).run(ImportFile(input: try FileInput(path: path), path: path)).check
    }

    /// Checks a CSV file against a Table Schema and dialect given on the command line.
    public static func run(path: String, schema: TableSchema, dialect: CSVDialect, diagnosticCap: Int) throws -> TableCheckResult {
        let stage = CheckStage(
            format: CSVRecordFormat(settings: CSVSettings(schema: schema, dialect: dialect)), mapping: nil,
            options: ReadOptions(diagnosticCap: diagnosticCap, spillDirectory: nil, checksum: false))
        return try stage.run(ImportFile(input: try FileInput(path: path), path: path)).check
    }
}
