/// Writes delimited records in a dialect and encoding, quoting only where needed (RFC 4180).
///
/// With `protectFormulas`, a text cell starting with `=`, `+`, `-`, `@`, tab, CR or NUL gets a
/// leading `'` so spreadsheets do not run it; cells listed in `numericColumns` are left as they are.
public struct CSVWriter: Sendable {
    public let dialect: CSVDialect
    public var protectFormulas: Bool
    public var numericColumns: Set<Int>
    private let encoder: TextEncoder
    private let delimiter: String
    private let quote: String

    public init(dialect: CSVDialect, protectFormulas: Bool = false, numericColumns: Set<Int> = []) {
        self.dialect = dialect
        self.protectFormulas = protectFormulas
        self.numericColumns = numericColumns
        self.encoder = TextEncoder(encoding: dialect.encoding)
        self.delimiter = String(UnicodeScalar(dialect.delimiter ?? UInt8(ascii: ",")))
        self.quote = String(UnicodeScalar(dialect.quote ?? UInt8(ascii: "\"")))
    }

    /// Bytes that start the file (a BOM for UTF-16).
    public var preamble: [UInt8] { encoder.byteOrderMark }

    /// One record with its line terminator, encoded.
    public func encode(_ fields: [String]) throws(UnencodableCharacter) -> [UInt8] {
        var line = ""
        for (index, field) in fields.enumerated() {
            if index > 0 { line += delimiter }
            line += render(field, column: index)
        }
        line += dialect.lineTerminator
        var bytes: [UInt8] = []
        bytes.reserveCapacity(line.utf8.count)
        try encoder.encode(line, into: &bytes)
        return bytes
    }

    func render(_ field: String, column: Int) -> String {
        var text = field
        if protectFormulas && !numericColumns.contains(column), let first = text.unicodeScalars.first,
            ["=", "+", "-", "@", "\t", "\r", "\0"].contains(first)
        {
            text = "'" + text
        }
        let needsQuotes = text.contains(delimiter) || text.contains(quote) || text.contains("\n") || text.contains("\r")
            || text.hasPrefix(" ") || text.hasSuffix(" ")
        guard needsQuotes else { return text }
        let escaped = dialect.escape.map { String(UnicodeScalar($0)) } ?? quote
        var out = quote
        for ch in text {
            if String(ch) == quote { out += escaped }
            out.append(ch)
        }
        return out + quote
    }
}
