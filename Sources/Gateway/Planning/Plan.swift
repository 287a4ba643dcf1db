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

/// What pushing one object would do.
public struct PlanItem: Sendable, Equatable, Codable {
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

    /// `product` or `stock`.
    public var kind: String
    /// The handle, or `SKU@location`.
    public var key: String
    public var action: Action
    public var changes: [FieldChange]
    /// The file rows it came from.
    public var rows: [Int]
    /// What would be recorded as pushed: canonical JSON of the object.
    public var content: String
}

/// What a file would change in one shop: per object create, update (field by field) or unchanged.
public struct Plan: Sendable, Codable {
    public var shop: String
    public var items: [PlanItem]
    /// Why something a user might expect is not in the plan (e.g. too many missing products).
    public var warnings: [String] = []

    public var creates: Int { items.count { $0.action == .create } }
    public var updates: Int { items.count { $0.action == .update } }
    public var unchanged: Int { items.count { $0.action == .unchanged } }
    public var deactivations: Int { items.count { $0.action == .deactivate } }
}
