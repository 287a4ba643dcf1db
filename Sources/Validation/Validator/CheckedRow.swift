public import Formats

/// One data record after checking, as `CSVTableCheck` hands it on.
public struct CheckedRow {
    public let record: CSVRecord
    /// Whether the record passed every check (its final verdict; see `CSVTableCheck`).
    public let valid: Bool
    public let reader: CellReader

    /// The record's cells, typed by the schema.
    public var cells: [String: TypedCell] { reader.cells(record) }
}
