public import Formats

/// What checking one delimited file found.
public struct TableCheckResult: Sendable {
    /// Data rows read (the header not counted).
    public var rowsRead = 0
    public var rowsValid = 0
    public var rowsRejected = 0
    public var diagnostics: DiagnosticLog
    /// True when the file as a whole could not be checked (bad header, unreadable bytes, …).
    public var fileError = false
    /// The header as read, for writing rejected rows back with it.
    public var header: [String] = []
    /// The delimiter used (after sniffing).
    public var delimiter: UInt8?

    public init(diagnostics: DiagnosticLog) {
        self.diagnostics = diagnostics
    }
}

/// Reads a delimited file and checks it against a schema in one streaming pass.
public enum CSVTableCheck {
    /// Streams `source` through the reader and validator. `onRow` sees each data record with
    /// whether it is valid, for passing rows on or writing rejected ones out; it may throw to stop.
    public static func run<Source: ByteSource>(
        source: Source,
        dialect: CSVDialect,
        schema: TableSchema,
        file: String,
        diagnosticCap: Int = 1000,
        onRow: (CSVRecord, Bool) throws -> Void = { _, _ in }
    ) throws -> TableCheckResult {
        var result = TableCheckResult(diagnostics: DiagnosticLog(cap: diagnosticCap))
        var validator = try TableValidator(schema: schema, file: file)
        let reader = CSVReader(source: source, dialect: dialect)
        do {
            if dialect.header {
                guard let header = try reader.next() else {
                    result.diagnostics.append(Diagnostic(.noHeader, at: Position(file: file, line: 1), rule: "header",
                                                         message: "the file is empty: no header row"))
                    result.fileError = true
                    return result
                }
                result.header = header.fields
                guard validator.checkHeader(header, delimiter: reader.dialect.delimiter, into: &result.diagnostics) else {
                    result.fileError = true
                    return result
                }
            } else {
                validator.assumeColumnsInSchemaOrder()
                result.header = schema.fields.map(\.name)
            }
            result.delimiter = reader.dialect.delimiter
            while let record = try reader.next() {
                result.rowsRead += 1
                let valid = validator.validate(record, into: &result.diagnostics)
                if valid { result.rowsValid += 1 } else { result.rowsRejected += 1 }
                try onRow(record, valid)
            }
        } catch let error as CSVReadError {
            result.diagnostics.append(error.diagnostic(file: file))
            result.fileError = true
        }
        return result
    }
}
