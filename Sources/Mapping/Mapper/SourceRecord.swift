/// One validated record as the mapper reads it: cast cells by column name, and where it was.
public struct SourceRecord: Sendable {
    public var row: Int
    public var line: Int
    public var cells: [String: Value]

    public init(row: Int, line: Int, cells: [String: Value]) {
        self.row = row
        self.line = line
        self.cells = cells
    }

    public subscript(column: String) -> Value { cells[column] ?? .null }
}
