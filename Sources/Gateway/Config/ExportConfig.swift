public import Formats
public import Mapping
public import XML

/// One export flow (`exports:` in `hafen.yaml`): which shop objects to collect, which of them
/// the ERP wants, how they become files in the outbox, and how the ERP acknowledges them.
public struct ExportConfig: Sendable {
    /// What the flow collects.
    public enum Kind: String, Sendable, CaseIterable {
        /// Paid orders, a document each.
        case orders
        /// Refunds of orders, a credit document each referencing its order.
        case refunds
        /// Customers, a debtor record each.
        case customers
    }

    /// One file per order, or one file per run with every order of the run.
    public enum FileMode: String, Sendable {
        case perOrder = "per-order"
        case batch
    }

    /// A row per order line (header fields repeated), or a row per order.
    public enum Rows: String, Sendable {
        case lines, order
    }

    /// What to do when an exported order changes in a way its rows show.
    public enum ChangePolicy: String, Sendable {
        /// Write an amendment file with the whole order again (`export.kind` = amendment).
        case amend
        /// Write nothing; list it in `hafen status` for an admin.
        case review
    }

    /// What to do when an exported order is cancelled.
    public enum CancelPolicy: String, Sendable {
        /// Write a cancellation file (`export.kind` = cancellation).
        case cancellation
        case review
    }

    public var name: String
    public var kind: Kind
    public var shop: String
    /// The outbox folder (relative to the configuration's folder, or absolute).
    public var target: String
    /// `target: sftp://partner/dir`: each file is also delivered there (the local copy stays in
    /// `target`, which then defaults to `outbox/NAME`).
    public var remote: RemoteLocation? = nil

    /// Whether each file also goes to a partner (counted delivered once it is on the server,
    /// instead of by the ERP's acknowledgement).
    public var deliversToPartner: Bool { remote != nil }
    /// With a remote target: put `NAME.sha256` beside each file on the server too.
    public var remoteSidecar = true
    /// With a remote target: an empty `NAME<suffix>` written after the file (`.ok`, `.done`).
    public var remoteDoneMarker: String? = nil
    public var dialect: CSVDialect
    /// Neutralise cells a spreadsheet would run as formulas (`=`, `+`, `-`, `@`, tab, CR).
    public var protectFormulas: Bool
    public var decimalSeparator: Character
    /// How `order.date` and other dates are written (`yyyy-MM-dd`, `dd.MM.yyyy`).
    public var dateFormat: String
    public var rows: Rows
    /// The SKU shipping rows carry; nil writes no shipping rows.
    public var shippingSKU: String?
    public var file: FileMode
    /// The file name pattern: `{order.number}`, any order field, `{kind}`, `{flow}`, `{seq}`,
    /// `{date:yyyyMMdd}`.
    public var namePattern: String
    /// Replace a file of the same name (otherwise a `-2`, `-3` … suffix keeps both).
    public var overwrite: Bool
    public var columns: [ExportColumn]
    public var filter: OrderFilter
    public var onChange: ChangePolicy
    public var onCancel: CancelPolicy
    /// How often `hafen run` polls the shop.
    public var poll: Duration
    /// How far back each poll looks before the cursor, so changes indexed late are not missed.
    public var overlap: Duration
    /// How far back the very first poll looks.
    public var start: Duration
    /// The acknowledgement file's name pattern (`{name}.ack`, `{stem}.ok`); nil: only taking the
    /// file away acknowledges it.
    public var ack: String?
    /// Files not acknowledged this long are overdue in `hafen status`.
    public var overdue: Duration
    /// After a run that wrote several files, a `MANIFEST_<time>.sha256` listing them all.
    public var manifest: Bool
    /// E-mail → debtor number (`tables:`), and the debtor for customers not in it.
    public var debtors: ValueTable?
    public var defaultDebtor: String?
    /// `format: xml`: how records and lines become elements; nil writes CSV.
    public var xml: XMLLayout? = nil
}

/// The shape of an XML export (`format: xml`, `xml:`): a document element, an element per
/// order (refund, customer), inside it an element per line; columns become child elements
/// (or attributes, `@name`) of the record or, when they read line fields, of the line.
public struct XMLLayout: Sendable {
    public var root: String
    public var record: String
    /// An element wrapping a record's lines (`Positionen`), or none.
    public var lines: String?
    public var line: String
    /// The default namespace of the document element.
    public var namespace: String?
    public var encoding: String
    /// The XSD every record and every file is validated against before it is released,
    /// compiled once when the configuration loads.
    public var schema: XMLSchema?
    /// Columns that belong to the line element (their expressions read `line.…`).
    public var lineColumns: Set<Int>
}

/// One column of an export: its header and how its value is computed from the order's fields.
public struct ExportColumn: Sendable {
    public var header: String
    public var map: FieldMap
    /// Decimal places for numbers (money fields default to 2); nil writes them as they are.
    public var decimals: Int?
}

/// Which orders an export flow takes (`filter:`); a list allows any of its values.
public struct OrderFilter: Sendable, Equatable {
    /// Shopify's display financial status, lower case (`paid`, `partially_refunded`).
    public var financialStatus: Set<String> = ["paid"]
    public var fulfillmentStatus: Set<String>?
    /// Take cancelled orders too.
    public var cancelled = false
    /// Take test orders too.
    public var test = false
    /// Sales channels (`sourceName`: `web`, `pos`, an app).
    public var channels: Set<String>?
    public var shippingCountries: Set<String>?
    /// At least one of these tags.
    public var tags: Set<String>?
    /// None of these tags.
    public var excludeTags: Set<String> = []
    /// Customers only: how many orders a customer must have placed (0: everyone who signs up).
    public var minOrders = 0

    public init() {}
}
