/// What processing a file came to, committed in one transaction by `Ledger.complete`.
public struct FileOutcome: Sendable {
    public var state: FileState
    public var duplicateOf: Int64?
    public var rowsRead: Int?
    public var rowsValid: Int?
    public var rowsRejected: Int?
    public var errorSummary: String?
    public var finalPath: String
    public var rejectedPath: String?
    /// The receipt as JSON, stored with the row.
    public var receiptJSON: String
    public var receiptPath: String

    public init(
        state: FileState, duplicateOf: Int64? = nil, rowsRead: Int? = nil, rowsValid: Int? = nil, rowsRejected: Int? = nil,
        errorSummary: String? = nil, finalPath: String, rejectedPath: String? = nil, receiptJSON: String, receiptPath: String
    ) {
        self.state = state
        self.duplicateOf = duplicateOf
        self.rowsRead = rowsRead
        self.rowsValid = rowsValid
        self.rowsRejected = rowsRejected
        self.errorSummary = errorSummary
        self.finalPath = finalPath
        self.rejectedPath = rejectedPath
        self.receiptJSON = receiptJSON
        self.receiptPath = receiptPath
    }
}
