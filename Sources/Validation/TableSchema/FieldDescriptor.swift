/// One field of a Table Schema, as written in the descriptor.
public struct FieldDescriptor: Sendable {
    public var name: String
    public var type: FieldType
    public var format: String
    public var required: Bool
    public var unique: Bool
    public var minLength: Int?
    public var maxLength: Int?
    /// Bounds and enum values as written; cast with the field's type when the schema compiles.
    public var minimum: String?
    public var maximum: String?
    public var exclusiveMinimum: String?
    public var exclusiveMaximum: String?
    public var pattern: String?
    public var enumValues: [String]?
    public var decimalChar: String
    public var groupChar: String?
    public var bareNumber: Bool
    public var trueValues: [String]
    public var falseValues: [String]
    /// Replaces the schema's list for this field when set.
    public var missingValues: [String]?
    /// Hafen's extension: the value must be a GTIN (EAN-8/12/13/14) with a correct check digit.
    /// `nil` = no check; otherwise the allowed lengths.
    public var gtinLengths: Set<Int>?

    public init(name: String, type: FieldType = .string) {
        self.name = name
        self.type = type
        format = "default"
        required = false
        unique = false
        decimalChar = "."
        bareNumber = true
        trueValues = ["true", "True", "TRUE", "1"]
        falseValues = ["false", "False", "FALSE", "0"]
    }
}
