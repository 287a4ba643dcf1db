/// A problem that stops reading a delimited file, with its position.
public struct CSVReadError: Error, Sendable {
    public var code: DiagnosticCode
    public var line: Int
    public var column: Int?
    public var row: Int?
    public var byteOffset: Int?
    public var message: String

    /// The same problem as a diagnostic about `file`.
    public func diagnostic(file: String) -> Diagnostic {
        Diagnostic(
            code,
            at: Position(file: file, line: line, column: column, row: row, byteOffset: byteOffset),
            rule: "csv",
            message: message
        )
    }
}
