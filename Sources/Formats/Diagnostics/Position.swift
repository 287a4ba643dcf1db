/// Where in an input something was found: file, physical line, field column and record number.
///
/// `line` is the physical line on which the record starts (multi-line quoted fields make it differ
/// from `row`); `row` counts records the way Frictionless does (the header is row 1); `column` is the
/// 1-based field number, as a spreadsheet shows it.
public struct Position: Sendable, Hashable, Codable {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var row: Int?
    public var byteOffset: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil, row: Int? = nil, byteOffset: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.row = row
        self.byteOffset = byteOffset
    }

    /// `file:line:column`, leaving out what is unknown.
    public var compilerStyle: String {
        var text = file
        if let line { text += ":\(line)" }
        if line != nil, let column { text += ":\(column)" }
        return text
    }
}
