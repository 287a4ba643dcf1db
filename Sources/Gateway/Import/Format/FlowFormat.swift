public import Formats
public import Validation
public import XML

/// How a flow's files are written, with what each format needs to read and check them:
/// chosen by `format:` in `hafen.yaml` and loaded once with the configuration.
public enum FlowFormat: Sendable {
    /// Delimited text checked against a Table Schema.
    case csv(CSVSettings)
    /// An XML document validated against its XSD while it streams.
    case xml(XMLSettings)
    /// SOAP envelopes (one, several, or a MIME message) whose Bodies hold the records; the XSD
    /// describes the payload and Hafen adds the envelopes. A Fault fails the file.
    case soap(XMLSettings)

    /// The column names a mapping reads: the Table Schema's fields, or the XML fields' names.
    public var columns: [String] {
        switch self {
        case .csv(let csv): csv.schema.fields.map(\.name)
        case .xml(let xml), .soap(let xml): xml.fields.map(\.name)
        }
    }

    /// Lines before the first record: a CSV header (for the position of a cut-off last row).
    public var headerLines: Int {
        if case .csv(let csv) = self, csv.dialect.header { 1 } else { 0 }
    }

    /// The reader that checks files of this format.
    var reader: any RecordFormat {
        switch self {
        case .csv(let csv): CSVRecordFormat(settings: csv)
        case .xml(let xml): XMLRecordFormat(settings: xml, soap: false)
        case .soap(let xml): XMLRecordFormat(settings: xml, soap: true)
        }
    }
}

/// A CSV flow's schema and dialect.
public struct CSVSettings: Sendable {
    /// The schema, loaded and checked once when the configuration is read.
    public var schema: TableSchema
    public var dialect: CSVDialect

    public init(schema: TableSchema, dialect: CSVDialect) {
        self.schema = schema
        self.dialect = dialect
    }
}

/// How an XML flow is read: validated against its XSD while it streams, cut into records at
/// every `record` element, each field read by a path relative to the record.
public struct XMLSettings: Sendable {
    public struct Field: Sendable {
        public var name: String
        /// `@nummer`, `Preis`, `Preis/@waehrung`, `E1MAKTM/MAKTX`, `.`.
        public var path: String
    }

    /// The XSD, compiled once when the configuration loads and shared by every file.
    public var schema: XMLSchema
    public var record: String
    public var fields: [Field]
}
