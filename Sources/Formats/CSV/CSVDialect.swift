/// How a delimited file is written: delimiter, quoting, header, encoding and limits.
public struct CSVDialect: Sendable, Hashable {
    /// `nil` sniffs the delimiter from the first line (`,` `;` tab `|`).
    public var delimiter: UInt8?
    /// `nil` reads quotes as ordinary characters.
    public var quote: UInt8?
    /// `nil` means a quote inside a quoted field is doubled (RFC 4180); otherwise this byte escapes.
    public var escape: UInt8?
    public var header: Bool
    public var encoding: TextEncoding
    /// Written after each record by `CSVWriter`.
    public var lineTerminator: String
    /// A record (all its fields) longer than this is an error; it bounds memory on hostile input.
    public var maxRecordBytes: Int
    /// Whether lines may end with one delimiter too many (`a;b;`), as many ERP exports write them.
    public var trailingDelimiter: TrailingDelimiter = .auto

    /// Lines that end with a delimiter (`Artikelnummer;Preis;`) give every record one more, empty,
    /// field than it has columns. Many ERP exports write every line, the header included, this way.
    public enum TrailingDelimiter: String, Sendable, Hashable, CaseIterable {
        /// A header whose last name is blank means the lines end with a delimiter; otherwise a
        /// record with an extra field is wrong.
        case auto
        /// Every line may end with one delimiter, also in files without a header.
        case always
        /// An extra field is always wrong; a blank last header name is an unnamed column.
        case never
    }

    public init(
        delimiter: UInt8? = UInt8(ascii: ","),
        quote: UInt8? = UInt8(ascii: "\""),
        escape: UInt8? = nil,
        header: Bool = true,
        encoding: TextEncoding = .utf8,
        lineTerminator: String = "\r\n",
        maxRecordBytes: Int = 1 << 20
    ) {
        self.delimiter = delimiter
        self.quote = quote
        self.escape = escape
        self.header = header
        self.encoding = encoding
        self.lineTerminator = lineTerminator
        self.maxRecordBytes = maxRecordBytes
    }

    /// The delimiters sniffing chooses from.
    public static let sniffable: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]

    /// Parses a delimiter as written in configuration: one ASCII character, `tab`, `\t` or `auto`.
    public static func delimiter(named name: String) -> UInt8?? {
        switch name.lowercased() {
        case "auto": return .some(nil)
        case "tab", "\\t", "\t": return UInt8(ascii: "\t")
        default:
            let bytes = Array(name.utf8)
            guard bytes.count == 1, bytes[0] < 0x80, bytes[0] != 0x0A, bytes[0] != 0x0D else { return nil }
            return bytes[0]
        }
    }

    /// How a delimiter byte is shown to people.
    public static func describe(_ byte: UInt8?) -> String {
        switch byte {
        case nil: "auto"
        case UInt8(ascii: "\t"): "tab"
        case let b?: String(UnicodeScalar(b))
        }
    }
}
