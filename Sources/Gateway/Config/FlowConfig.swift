public import Mapping
public import Transport

/// One configured route: where files come from, how to read and check them, what to do with errors.
public struct FlowConfig: Sendable {
    /// What happens to a file with invalid rows.
    public enum ErrorPolicy: String, Sendable {
        /// Any error fails the whole file (default).
        case rejectFile = "reject-file"
        /// Valid rows proceed; rejected rows are listed and written to `failed/NAME.rejected.csv`.
        case skipRows = "skip-rows"
    }

    public var name: String
    /// The inbox directory, relative to the configuration's folder or absolute.
    public var directory: String
    public var glob: String
    /// How the files are written and checked: CSV with a Table Schema, XML or SOAP with an XSD.
    public var format: FlowFormat
    public var readiness: SettleTracker.Rule
    public var maxSize: Int64
    public var onError: ErrorPolicy
    /// How valid records become shop objects (`map:`); nil when the flow only validates.
    public var mapping: MappingSpec?
    /// The shops this flow pushes to (names under `shops:`).
    public var shops: [String] = []
    /// Hold a file with this share (0–1) fewer rows than the last good one (`hold_if_rows_drop: 50%`).
    public var holdIfRowsDrop: Double?
    /// Stock for SKUs the shop does not have: an error per row (`report`, the default), or
    /// counted and left out (`skip`: ERPs often export stock for articles not sold online).
    public var skipUnknownSKUs = false
    /// `source: sftp://partner/dir/*.csv`: files are fetched from a partner's server instead of
    /// a local inbox (`directory` and `glob` are then unused).
    public var remote: RemoteLocation? = nil
    /// What happens to the partner's copy once Hafen holds the file safely.
    public var afterPickup: AfterPickup = .keep
    /// `receipts_to: sftp://partner/dir`: each file's receipt (and error report) goes there too.
    public var receiptsTo: RemoteLocation? = nil
    /// `wait_for_writers`: a local file some process still holds open for writing is not taken,
    /// however long it has been unchanged (on by default).
    public var waitForWriters = true

    /// The partner's copy of a fetched file once Hafen holds it (`after_pickup`).
    public typealias AfterPickup = Transport.AfterPickup

    /// Which files the flow takes, when they are complete, which it refuses unread.
    public var rules: SourceRules { SourceRules(glob: glob, readiness: readiness, maxSize: maxSize, waitForWriters: waitForWriters) }

    /// The local inbox folder, absolute; nil when the files come from a partner's server.
    public func localInbox(_ config: GatewayConfig) -> String? {
        remote == nil ? config.absolute(directory) : nil
    }

    /// Where files come from, as receipts and the ledger name it: `local:inbox/stock` or
    /// `sftp://erp/out/stock`.
    public func sourceLabel(_ config: GatewayConfig) -> String {
        remote.map(\.description) ?? "local:" + config.display(config.absolute(directory))
    }

    /// The folder as shown in messages and positions (`inbox/stock`, `sftp://erp/out/stock`).
    public func displayDirectory(_ config: GatewayConfig) -> String {
        remote.map(\.description) ?? config.display(config.absolute(directory))
    }
}
