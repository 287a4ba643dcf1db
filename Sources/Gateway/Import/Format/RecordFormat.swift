import Foundation
import Formats
import Mapping
import Validation
import XML

/// A file format Hafen imports: it reads a file, checks each record against the format's
/// schema, and hands every record on with its position and verdict. CSV with a Table Schema,
/// XML with an XSD and SOAP dumps conform; the import stages know nothing else of a format.
protocol RecordFormat {
    /// Reads and checks one file. `onRecord` sees every data record (valid or not) with the
    /// format's verdict; `onRestart` is called before the records come again
    /// with their final verdicts (a CSV file whose keys repeat is read twice).
    func read(
        _ file: ImportFile, options: ReadOptions, onRestart: () throws -> Void, onRecord: (CheckedRecord) throws -> Void
    ) throws -> FormatRead

    /// The fields of the records at `rows` (data rows counted from 1, ascending), read again
    /// from `path`, for a rejected-rows file; formats without one read nothing.
    func fields(ofRows rows: [Int], in path: String, each: ([String]) throws -> Void) throws

    /// How rejected records are written back for an admin to correct (`NAME.rejected.csv`);
    /// nil where the format has no such file.
    var rejectedRows: RejectedRowsLayout? { get }
}

/// The dialect and header of a rejected-rows file.
struct RejectedRowsLayout {
    var dialect: CSVDialect
    var header: [String]
}

/// One file to read, opened by the caller (who may watch the descriptor for a writer that
/// was not finished).
struct ImportFile {
    /// The open file; a format that streams reads it from here.
    let input: FileInput
    /// Where the file is, for a format whose library opens it itself (libxml2) and for a
    /// second pass.
    let path: String
    /// The name problems give the file (`inbox/stock/stock-0501.csv`).
    let displayPath: String
    /// The file's SHA-256 when it is already known (a partner's file hashed as it arrived).
    let knownChecksum: String?
    /// Open the file again without following a link (files in the work area).
    let followSymlinks: Bool

    init(input: FileInput, path: String, displayPath: String? = nil, knownChecksum: String? = nil, followSymlinks: Bool = true) {
        self.input = input
        self.path = path
        self.displayPath = displayPath ?? path
        self.knownChecksum = knownChecksum
        self.followSymlinks = followSymlinks
    }
}

/// How a format reads: diagnostics kept, where spill files go, whether to hash.
struct ReadOptions {
    var diagnosticCap: Int
    /// Where key checks spill sorted runs (nil: the system's temporary folder).
    var spillDirectory: String?
    /// Compute the file's SHA-256 (intake); `hafen validate`, `map` and `plan` do not.
    var checksum: Bool
}

/// What a format found in one file.
struct FormatRead {
    var check: TableCheckResult
    /// The file's SHA-256, when it was asked for.
    var sha256: String?
    /// The bytes read, to compare with the file's size (nil: the library read the file itself).
    var bytesRead: Int64?
}

/// One record as a format hands it on: where it is, whether it passed the format's checks, and
/// (read only when asked) its cells for the mapping and its fields for a rejected-rows file.
struct CheckedRecord {
    enum Content {
        case csv(CheckedRow)
        case xml(XMLRecordReader.Record, fields: [XMLSettings.Field], columnNumbers: [String: Int])
    }

    let content: Content
    /// Whether the record passed the format's checks (its final verdict).
    let valid: Bool

    /// The record as the mapper reads it.
    var source: SourceRecord {
        switch content {
        case .csv(let row): SourceRecord(row: row.record.number, line: row.record.line, cells: row.cells.mapValues(Self.value))
        case .xml(let record, let fields, _):
            SourceRecord(row: record.index, line: record.line, cells: Self.cells(of: record, fields: fields))
        }
    }

    /// The 1-based column of each field, for positions.
    var columnNumbers: [String: Int] {
        switch content {
        case .csv(let row): row.reader.columnNumbers
        case .xml(_, _, let numbers): numbers
        }
    }

    /// The fields as read, for a rejected-rows file.
    var fields: [String]? {
        if case .csv(let row) = content { row.record.fields } else { nil }
    }

    /// An XML record's fields by name: a repeated element's values joined by commas, a
    /// missing one null.
    private static func cells(of record: XMLRecordReader.Record, fields: [XMLSettings.Field]) -> [String: Value] {
        var cells: [String: Value] = Dictionary(minimumCapacity: fields.count)
        for field in fields where cells[field.name] == nil {
            let values = record.values[field.path] ?? []
            cells[field.name] = values.isEmpty ? .null : .text(values.count == 1 ? values[0] : values.joined(separator: ","))
        }
        return cells
    }

    static func value(_ cell: TypedCell) -> Value {
        switch cell {
        case .null: .null
        case .text(let text): .text(text)
        case .integer(let n): .number(Decimal(n))
        case .number(let n): .number(n.decimalValue)
        case .boolean(let b): .bool(b)
        }
    }
}
