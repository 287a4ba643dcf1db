public import Formats

/// Reads a delimited file and checks it against a schema, streaming: memory does not grow with
/// the file.
///
/// The first pass checks every cell and collects key fingerprints. Only if some key repeats does
/// a second pass read the file again (from `replay`) to report each duplicate on its row, in row
/// order among the other diagnostics; `onRestart` is then called before `onRow` sees the rows again
/// with their final validity.
public enum CSVTableCheck {
    /// - Parameters:
    ///   - source: the file's bytes.
    ///   - replay: the same bytes again from the start, for the second pass.
    ///   - onRestart: called before a second pass, so `onRow`'s side effects can start over.
    ///   - onRow: sees each data record with whether it is valid (and its typed cells); it may throw to stop.
    public static func run<Source: ByteSource, Replay: ByteSource>(
        source: Source,
        replay: () throws -> Replay,
        dialect: CSVDialect,
        schema: TableSchema,
        file: String,
        diagnosticCap: Int = 1000,
        keyOptions: KeyOptions = KeyOptions(),
        onRestart: () throws -> Void = {},
        onRow: (CheckedRow) throws -> Void = { _ in }
    ) throws -> TableCheckResult {
        var validator = try TableValidator(schema: schema, file: file, keyOptions: keyOptions)
        var noDuplicates: SortedElements<DuplicateKey>?
        let first = try pass(source, dialect: dialect, validator: &validator, duplicates: &noDuplicates, cap: diagnosticCap, onRow: onRow)
        guard let found = try validator.duplicateKeys() else { return first }
        try onRestart()
        var cellsOnly = try TableValidator(schema: schema, file: file, keyOptions: nil)
        var duplicates: SortedElements<DuplicateKey>? = found.rows
        var result = try pass(try replay(), dialect: dialect, validator: &cellsOnly, duplicates: &duplicates, cap: diagnosticCap, onRow: onRow)
        result.duplicateRows = found.count
        return result
    }

    /// Checks a file on disk, opening it again for a second pass if needed.
    public static func run(
        path: String, dialect: CSVDialect, schema: TableSchema, file: String? = nil, diagnosticCap: Int = 1000,
        keyOptions: KeyOptions = KeyOptions()
    ) throws -> TableCheckResult {
        try run(source: try FileInput(path: path), replay: { try FileInput(path: path) }, dialect: dialect, schema: schema,
                file: file ?? path, diagnosticCap: diagnosticCap, keyOptions: keyOptions)
    }

    /// Checks bytes in memory (tests, small inputs).
    public static func run(
        source: MemorySource, dialect: CSVDialect, schema: TableSchema, file: String, diagnosticCap: Int = 1000,
        keyOptions: KeyOptions = KeyOptions(), onRow: (CheckedRow) throws -> Void = { _ in }
    ) throws -> TableCheckResult {
        try run(source: source, replay: { source }, dialect: dialect, schema: schema, file: file, diagnosticCap: diagnosticCap,
                keyOptions: keyOptions, onRow: onRow)
    }

    /// A file read in a single-byte encoding whose non-ASCII bytes are all UTF-8: every text with
    /// an umlaut would be wrong (`GrÃ¶ÃŸe`), so the file fails with the first character as proof.
    static func looksLikeUTF8(_ evidence: UTF8Evidence, encoding: TextEncoding, file: String) -> Diagnostic {
        let example = evidence.example(misreadAs: encoding)
        return Diagnostic(
            .looksLikeUTF8, at: Position(file: file, byteOffset: evidence.firstOffset), rule: "encoding",
            message: "this looks like UTF-8, but the flow reads \(encoding.rawValue): all \(evidence.sequences) non-ASCII "
                + "characters are UTF-8, the first at byte \(evidence.firstOffset ?? 0) (\"\(example.meant)\", which "
                + "\(encoding.rawValue) would read as \"\(example.misread)\"); set dialect.encoding: utf-8")
    }

    private static func pass<Source: ByteSource>(
        _ source: Source, dialect: CSVDialect, validator: inout TableValidator, duplicates: inout SortedElements<DuplicateKey>?,
        cap: Int, onRow: (CheckedRow) throws -> Void
    ) throws -> TableCheckResult {
        var result = TableCheckResult(diagnostics: DiagnosticLog(cap: cap))
        let file = validator.file
        let reader = CSVReader(source: source, dialect: dialect)
        var pending = try duplicates?.next()
        do {
            if dialect.header {
                guard let header = try reader.next() else {
                    result.diagnostics.append(Diagnostic(.noHeader, at: Position(file: file, line: 1), rule: "header",
                                                         message: "the file is empty: no header row"))
                    result.fileError = true
                    return result
                }
                result.header = header.fields
                guard validator.checkHeader(
                    header, delimiter: reader.dialect.delimiter, trailingDelimiter: dialect.trailingDelimiter, into: &result.diagnostics)
                else {
                    // A header that does not match may be a UTF-8 header misread: say so, from what was read so far.
                    let evidence = reader.utf8Evidence
                    if !evidence.broken && evidence.sequences > 0 {
                        result.diagnostics.append(Self.looksLikeUTF8(evidence, encoding: reader.encoding, file: file))
                    }
                    result.fileError = true
                    return result
                }
                if validator.trailingField { result.header.removeLast() }
            } else {
                validator.assumeColumnsInSchemaOrder(trailingDelimiter: dialect.trailingDelimiter)
                result.header = validator.schema.fields.map(\.name)
            }
            result.delimiter = reader.dialect.delimiter
            let cellReader = validator.cellReader
            var lastRowMisshaped = false
            let fieldCount = result.header.isEmpty ? validator.schema.fields.count : result.header.count
            defer { result.truncated = lastRowMisshaped && !reader.lastRecordEndedWithLineBreak }
            while let record = try reader.next() {
                result.rowsRead += 1
                lastRowMisshaped = record.count != fieldCount && !(validator.trailingField && record.count == fieldCount + 1)
                var valid = try validator.validate(record, into: &result.diagnostics)
                while let duplicate = pending, duplicate.row <= UInt64(record.number) {
                    if duplicate.row == UInt64(record.number) {
                        validator.reportDuplicate(duplicate, in: record, into: &result.diagnostics)
                        valid = false
                    }
                    pending = try duplicates!.next()
                }
                if valid { result.rowsValid += 1 } else { result.rowsRejected += 1 }
                try onRow(CheckedRow(record: record, valid: valid, reader: cellReader))
            }
            let evidence = reader.utf8Evidence
            if evidence.looksLikeUTF8 {
                result.diagnostics.append(Self.looksLikeUTF8(evidence, encoding: reader.encoding, file: file))
                result.fileError = true
            }
        } catch let error as CSVReadError {
            result.diagnostics.append(error.diagnostic(file: file))
            result.fileError = true
        }
        return result
    }
}
