public import Formats
public import Foundation
import Commerce
import Mapping
import Shops

/// What Hafen did with one file, for admins and partners: written as JSON next to the file's
/// other traces and stored in the ledger. docs/operations.md documents every key.
public struct Receipt: Codable, Sendable, Equatable {
    public struct Rows: Codable, Sendable, Equatable {
        public var read: Int
        public var valid: Int
        public var rejected: Int
        /// Flows with a mapping: valid rows turned into shop objects.
        public var mapped: Int?
        /// Flows with a mapping: valid rows the mapping's filter (`where`) left out.
        public var filtered: Int?
        /// Flows with shops: rows whose objects a shop accepted (created, updated, deactivated).
        public var pushed: Int? = nil
        /// Flows with shops: rows whose objects were the same as last pushed, in every shop.
        public var unchanged: Int? = nil
    }

    /// Flows with a mapping: how many shop objects the file's rows became.
    public struct Objects: Codable, Sendable, Equatable {
        public var products: Int
        public var variants: Int
        public var stockLevels: Int

        /// What a file's mapping made.
        init(_ mapped: MappingResult) {
            products = mapped.products.count
            variants = mapped.products.reduce(0) { $0 + $1.product.variants.count }
            stockLevels = mapped.stock.count
        }

        enum CodingKeys: String, CodingKey {
            case products, variants
            case stockLevels = "stock_levels"
        }
    }

    public var id: Int64
    public var flow: String
    public var file: String
    public var source: String
    public var size: Int64?
    public var sha256: String?
    public var receivedAt: Date
    public var finishedAt: Date
    /// `done`, `partial`, `failed` or `duplicate`.
    public var status: String
    public var duplicateOf: Int64?
    public var attempt: Int
    public var retryOf: Int64?
    /// An earlier file of this flow with the same name but other content.
    public var nameReusedFrom: Int64?
    public var policy: String
    public var rows: Rows
    /// Where the file now is (`archive/…` or `failed/…`).
    public var storedAt: String
    /// For partial files: where the rejected rows are.
    public var rejectedRowsFile: String?
    /// One-line summary in plain words.
    public var summary: String
    /// The first diagnostics (up to the configured cap).
    public var errors: [Diagnostic]
    public var errorsTotal: Int
    /// Flows with a mapping: the shop objects made from the file.
    public var objects: Objects? = nil
    /// Flows with shops: what each shop did with the file.
    public var shops: [PushReport]? = nil

    /// Every refused object of every shop.
    public var shopErrors: [PushReport.ObjectError] {
        (shops ?? []).flatMap(\.errors)
    }

    enum CodingKeys: String, CodingKey {
        case id, flow, file, source, size, sha256
        case receivedAt = "received_at", finishedAt = "finished_at"
        case status
        case duplicateOf = "duplicate_of"
        case attempt
        case retryOf = "retry_of"
        case nameReusedFrom = "name_reused_from"
        case policy, rows
        case storedAt = "stored_at"
        case rejectedRowsFile = "rejected_rows_file"
        case summary, errors
        case errorsTotal = "errors_total"
        case objects, shops
    }

    /// Totals over the shops, written for readers and never read back.
    private enum TotalKeys: String, CodingKey {
        case apiCalls = "api_calls", costPoints = "cost_points", throttledMilliseconds = "throttled_ms", shopErrors = "shop_errors"
    }

    /// Explicit nulls, so every receipt has every key.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(flow, forKey: .flow)
        try c.encode(file, forKey: .file)
        try c.encode(source, forKey: .source)
        try c.encode(size, forKey: .size)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(receivedAt, forKey: .receivedAt)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(status, forKey: .status)
        try c.encode(duplicateOf, forKey: .duplicateOf)
        try c.encode(attempt, forKey: .attempt)
        try c.encode(retryOf, forKey: .retryOf)
        try c.encode(nameReusedFrom, forKey: .nameReusedFrom)
        try c.encode(policy, forKey: .policy)
        try c.encode(rows, forKey: .rows)
        try c.encode(storedAt, forKey: .storedAt)
        try c.encode(rejectedRowsFile, forKey: .rejectedRowsFile)
        try c.encode(summary, forKey: .summary)
        try c.encode(errors, forKey: .errors)
        try c.encode(errorsTotal, forKey: .errorsTotal)
        try c.encodeIfPresent(objects, forKey: .objects)
        if let shops {
            try c.encode(shops, forKey: .shops)
            var totals = encoder.container(keyedBy: TotalKeys.self)
            try totals.encode(shops.reduce(0) { $0 + $1.statistics.apiCalls }, forKey: .apiCalls)
            try totals.encode(shops.reduce(0) { $0 + $1.statistics.costPoints }, forKey: .costPoints)
            try totals.encode(shops.reduce(0) { $0 + $1.statistics.throttledMilliseconds }, forKey: .throttledMilliseconds)
            try totals.encode(shopErrors, forKey: .shopErrors)
        }
    }

    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(Receipt.timestamp(date))
        }
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = Receipt.parseTimestamp(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad timestamp \(text)"))
            }
            return date
        }
        return decoder
    }()

    /// `2026-11-22T10:51:03.123Z`
    public static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    static func parseTimestamp(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    public func json() throws -> String {
        String(decoding: try Receipt.encoder.encode(self), as: UTF8.self) + "\n"
    }
}
