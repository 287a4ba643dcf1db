public import Formats
public import Shops

/// What one file did in one shop: objects created, updated, left alone, refused; the calls and
/// rate-limit cost it took; and the shop's reason for every refused object.
public struct PushReport: Codable, Sendable, Equatable {
    /// One object the shop refused (or that could not be sent), with the file rows it came from.
    public struct ObjectError: Codable, Sendable, Equatable {
        /// The shop's name (so the receipt's `shop_errors` can list all shops' errors at once).
        public var shop: String
        /// `product` or `stock`.
        public var kind: String
        /// The handle, or `SKU@location`.
        public var key: String
        public var rows: [Int]
        /// Why: the shop's code, or Hafen's own reason when the object could not be sent at all.
        public var refusal: Refusal
        /// The input field the shop named.
        public var field: String?
        public var message: String

        public init(shop: String, kind: String, key: String, rows: [Int], refusal: Refusal, field: String?, message: String) {
            self.shop = shop
            self.kind = kind
            self.key = key
            self.rows = rows
            self.refusal = refusal
            self.field = field
            self.message = message
        }

        /// As receipts write it: `UNKNOWN_SKU`, `INVALID_VARIANT`, or null.
        public var code: String? { refusal.code }

        private enum CodingKeys: String, CodingKey {
            case shop, kind, key, rows, code, field, message
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                shop: try c.decode(String.self, forKey: .shop), kind: try c.decode(String.self, forKey: .kind), key: try c.decode(String.self, forKey: .key),
                rows: try c.decode([Int].self, forKey: .rows), refusal: Refusal(code: try c.decodeIfPresent(String.self, forKey: .code)),
                field: try c.decodeIfPresent(String.self, forKey: .field), message: try c.decode(String.self, forKey: .message))
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(shop, forKey: .shop)
            try c.encode(kind, forKey: .kind)
            try c.encode(key, forKey: .key)
            try c.encode(rows, forKey: .rows)
            try c.encodeIfPresent(code, forKey: .code)
            try c.encodeIfPresent(field, forKey: .field)
            try c.encode(message, forKey: .message)
        }
    }

    /// Why an object was not applied.
    public enum Refusal: Sendable, Equatable {
        /// Stock for a SKU the shop has no variant for (it was not sent).
        case unknownSKU
        /// Stock for a location the shop does not have (it was not sent).
        case unknownLocation
        /// A shipment for an order the shop does not have.
        case unknownOrder
        /// A shipment of more than the order has left to ship.
        case overShipped
        /// A shipment without tracking whose sending was interrupted, and whose order changed
        /// otherwise since: it may or may not be in the shop, so it is not sent again.
        case shipmentUncertain
        /// The shop refused it, with its own code (`INVALID_VARIANT`,
        /// `ITEM_NOT_STOCKED_AT_LOCATION`) when it gave one.
        case shop(String?)

        /// Hafen's codes as receipts name them; the shop's as it sent them.
        public var code: String? {
            switch self {
            case .unknownSKU: "UNKNOWN_SKU"
            case .unknownLocation: "UNKNOWN_LOCATION"
            case .unknownOrder: "UNKNOWN_ORDER"
            case .overShipped: "OVER_SHIPPED"
            case .shipmentUncertain: "SHIPMENT_UNCERTAIN"
            case .shop(let code): code
            }
        }

        /// Reads a receipt's code back.
        public init(code: String?) {
            self = switch code {
            case "UNKNOWN_SKU": .unknownSKU
            case "UNKNOWN_LOCATION": .unknownLocation
            case "UNKNOWN_ORDER": .unknownOrder
            case "OVER_SHIPPED": .overShipped
            case "SHIPMENT_UNCERTAIN": .shipmentUncertain
            default: .shop(code)
            }
        }

        /// The problem code a refused object's diagnostic gets.
        public var diagnosticCode: DiagnosticCode {
            switch self {
            case .unknownSKU: .unknownSKU
            case .unknownLocation: .unknownLocation
            case .unknownOrder: .unknownOrder
            case .overShipped: .overShipped
            case .shipmentUncertain: .shipmentUncertain
            case .shop: .shopRefused
            }
        }
    }

    public var shop: String
    /// `writes: blocked`: nothing was sent; the counts say what would have been.
    public var writesBlocked = false
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var deactivated = 0
    public var refused = 0
    /// Objects planned but not sent because the shop failed as a whole (see `failure`).
    public var notSent = 0
    /// Stock left out because the shop has no such SKU (`unknown_skus: skip`).
    public var skipped = 0
    /// Products sent as one bulk import.
    public var bulkImport = false
    public var statistics = ShopStatistics()
    public var errors: [ObjectError] = []
    /// Why the push stopped early (the shop was unreachable or refused the token).
    public var failure: String?
    /// What the plan left out and why (e.g. too many missing products to deactivate).
    public var warnings: [String] = []

    public init(shop: String) {
        self.shop = shop
    }

    enum CodingKeys: String, CodingKey {
        case shop, created, updated, unchanged, deactivated, refused, errors, failure, warnings
        case writesBlocked = "writes_blocked", notSent = "not_sent", bulkImport = "bulk_import", skipped
        case apiCalls = "api_calls", costPoints = "cost_points", throttledMilliseconds = "throttled_ms", throttledAnswers = "throttled_answers"
        case retries
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        shop = try c.decode(String.self, forKey: .shop)
        writesBlocked = try c.decode(Bool.self, forKey: .writesBlocked)
        created = try c.decode(Int.self, forKey: .created)
        updated = try c.decode(Int.self, forKey: .updated)
        unchanged = try c.decode(Int.self, forKey: .unchanged)
        deactivated = try c.decode(Int.self, forKey: .deactivated)
        refused = try c.decode(Int.self, forKey: .refused)
        notSent = try c.decode(Int.self, forKey: .notSent)
        skipped = try c.decodeIfPresent(Int.self, forKey: .skipped) ?? 0
        bulkImport = try c.decode(Bool.self, forKey: .bulkImport)
        statistics.apiCalls = try c.decode(Int.self, forKey: .apiCalls)
        statistics.costPoints = try c.decode(Int.self, forKey: .costPoints)
        statistics.throttledMilliseconds = try c.decode(Int.self, forKey: .throttledMilliseconds)
        statistics.throttledAnswers = try c.decode(Int.self, forKey: .throttledAnswers)
        statistics.retries = try c.decode(Int.self, forKey: .retries)
        errors = try c.decode([ObjectError].self, forKey: .errors)
        failure = try c.decodeIfPresent(String.self, forKey: .failure)
        warnings = try c.decodeIfPresent([String].self, forKey: .warnings) ?? []
    }

    /// Flat, with explicit nulls, so every receipt has every key.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(shop, forKey: .shop)
        try c.encode(writesBlocked, forKey: .writesBlocked)
        try c.encode(created, forKey: .created)
        try c.encode(updated, forKey: .updated)
        try c.encode(unchanged, forKey: .unchanged)
        try c.encode(deactivated, forKey: .deactivated)
        try c.encode(refused, forKey: .refused)
        try c.encode(notSent, forKey: .notSent)
        try c.encode(skipped, forKey: .skipped)
        try c.encode(bulkImport, forKey: .bulkImport)
        try c.encode(statistics.apiCalls, forKey: .apiCalls)
        try c.encode(statistics.costPoints, forKey: .costPoints)
        try c.encode(statistics.throttledMilliseconds, forKey: .throttledMilliseconds)
        try c.encode(statistics.throttledAnswers, forKey: .throttledAnswers)
        try c.encode(statistics.retries, forKey: .retries)
        try c.encode(errors, forKey: .errors)
        try c.encode(failure, forKey: .failure)
        try c.encode(warnings, forKey: .warnings)
    }
}
