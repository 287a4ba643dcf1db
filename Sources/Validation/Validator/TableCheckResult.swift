public import Formats

/// What checking one delimited file found.
public struct TableCheckResult: Sendable {
    /// Data rows read (the header not counted).
    public var rowsRead = 0
    public var rowsValid = 0
    public var rowsRejected = 0
    /// Rows rejected because their key repeats an earlier row's (these needed a second pass).
    public var duplicateRows = 0
    public var diagnostics: DiagnosticLog
    /// True when the file as a whole could not be checked (bad header, unreadable bytes, …).
    public var fileError = false
    /// The header as read, for writing rejected rows back with it.
    public var header: [String] = []
    /// The delimiter used (after sniffing).
    public var delimiter: UInt8?
    /// The last row has the wrong number of fields and no line break after it: the file looks cut off.
    public var truncated = false

    public init(diagnostics: DiagnosticLog) {
        self.diagnostics = diagnostics
    }
}
