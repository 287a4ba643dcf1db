import Formats
import Validation

/// CSV checked against a Table Schema: one streaming pass that also hashes the bytes, and a
/// second only when keys repeat (see `CSVTableCheck`).
struct CSVRecordFormat: RecordFormat {
    let settings: CSVSettings

    func read(
        _ file: ImportFile, options: ReadOptions, onRestart: () throws -> Void, onRecord: (CheckedRecord) throws -> Void
    ) throws -> FormatRead {
        let hashing = HashingSource(file.input, hashing: options.checksum && file.knownChecksum == nil)
        let path = file.path, follow = file.followSymlinks
        let check = try CSVTableCheck.run(
            source: hashing, replay: { try FileInput(path: path, followSymlinks: follow) }, dialect: settings.dialect, schema: settings.schema,
            file: file.displayPath, diagnosticCap: options.diagnosticCap,
            keyOptions: options.spillDirectory.map { KeyOptions(spillDirectory: $0) } ?? KeyOptions(),
            onRestart: onRestart
        ) { row in
            try onRecord(CheckedRecord(content: .csv(row), valid: row.valid))
        }
        // The parser may stop early on a fatal error: the checksum and the byte count (which
        // tells a file that changed while it was read) still cover the whole file.
        if options.checksum { try hashing.drain() }
        let sha = options.checksum ? file.knownChecksum ?? hashing.hexDigest() : nil
        return FormatRead(check: check, sha256: sha, bytesRead: hashing.byteCount)
    }

    func fields(ofRows rows: [Int], in path: String, each: ([String]) throws -> Void) throws {
        let reader = CSVReader(source: try FileInput(path: path, followSymlinks: false), dialect: settings.dialect)
        var pending = rows[...]
        if settings.dialect.header { _ = try reader.next() }
        while let first = pending.first, let record = try reader.next() {
            if record.number == first {
                try each(record.fields)
                pending = pending.dropFirst()
            }
        }
    }

    var rejectedRows: RejectedRowsLayout? {
        var dialect = settings.dialect
        dialect.delimiter = dialect.delimiter ?? UInt8(ascii: ",")
        return RejectedRowsLayout(dialect: dialect, header: settings.schema.fields.map(\.name))
    }
}
