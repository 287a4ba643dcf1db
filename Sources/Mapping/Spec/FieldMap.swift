public import Commerce

/// When a field is sent: on every push, or only when the shop object is created (so text
/// enriched in the shop afterwards survives; the "update checkbox" of other tools).
public enum UpdatePolicy: String, Sendable, Hashable, CaseIterable {
    case always, create
}

/// What a blank result means: leave the shop's value alone, or clear it.
public enum BlankPolicy: String, Sendable, Hashable, CaseIterable {
    case keep, clear
}

/// How one shop field is computed from a record.
public struct FieldMap: Sendable, Hashable {
    /// The expression as written, for messages.
    public var source: String
    public var expression: Expression
    /// A value table applied to the expression's result.
    public var table: ValueTable?
    /// For list fields (tags, images, collections): the separator that splits the text.
    public var split: String?
    public var on: UpdatePolicy
    /// Overrides the flow's `blank` setting for this field.
    public var blank: BlankPolicy?
    /// For the weight: the unit of the number.
    public var unit: Weight.Unit?

    public init(
        source: String, expression: Expression, table: ValueTable? = nil, split: String? = nil, on: UpdatePolicy = .always,
        blank: BlankPolicy? = nil, unit: Weight.Unit? = nil
    ) {
        self.source = source
        self.expression = expression
        self.table = table
        self.split = split
        self.on = on
        self.blank = blank
        self.unit = unit
    }

    /// A map that reads one column as it is.
    public static func column(_ name: String) -> FieldMap {
        FieldMap(source: name, expression: .column(name))
    }
}
