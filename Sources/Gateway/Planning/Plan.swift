/// One field that differs between what was last pushed and what a file says now.
public struct FieldChange: Sendable, Equatable, Codable {
    /// `title`, `variants[A-1].price`, `quantity`.
    public var field: String
    /// As last pushed (nil: not sent before).
    public var old: String?
    /// As the file says now (nil: cleared, or a variant the file no longer has).
    public var new: String?

    public init(field: String, old: String?, new: String?) {
        self.field = field
        self.old = old
        self.new = new
    }
}

public import Commerce

/// What pushing one object would do.
public struct PlanItem: Sendable, Equatable, Encodable {
    /// The object the item is about, as the shop connector takes it.
    public enum Subject: Sendable, Equatable {
        case product(Product)
        case stock(StockLevel)
    }

    public enum Action: String, Sendable, Codable {
        /// Never pushed to this shop: everything is sent.
        case create
        /// Pushed before and some sent field differs: the changes are sent.
        case update
        /// Pushed before with the same content: nothing is sent.
        case unchanged
        /// Pushed before but no longer in the (complete) file: set to draft or archived (`missing:`).
        case deactivate
    }

    public var subject: Subject
    /// The handle, or `SKU@location`.
    public var key: String
    public var action: Action
    public var changes: [FieldChange]
    /// The file rows it came from.
    public var rows: [Int]
    /// What would be recorded as pushed: canonical JSON of the object (the ledger's storage
    /// form; the connector is given `subject`).
    public var content: String

    /// `product` or `stock`, as the ledger and receipts name it.
    public var kind: String {
        switch subject {
        case .product: "product"
        case .stock: "stock"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case kind, key, action, changes, rows, content
    }

    /// As `hafen plan --json` prints it.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(key, forKey: .key)
        try c.encode(action, forKey: .action)
        try c.encode(changes, forKey: .changes)
        try c.encode(rows, forKey: .rows)
        try c.encode(content, forKey: .content)
    }
}

/// What a file would change in one shop: per object create, update (field by field) or unchanged.
public struct Plan: Sendable, Encodable {
    public var shop: String
    public var items: [PlanItem]
    /// Why something a user might expect is not in the plan (e.g. too many missing products).
    public var warnings: [String] = []

    public var creates: Int { items.count { $0.action == .create } }
    public var updates: Int { items.count { $0.action == .update } }
    public var unchanged: Int { items.count { $0.action == .unchanged } }
    public var deactivations: Int { items.count { $0.action == .deactivate } }
}
