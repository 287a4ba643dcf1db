/// A cell of a valid record as its schema field reads it, for passing rows on to mapping.
public enum TypedCell: Sendable, Hashable {
    /// Empty, or one of the schema's missing values.
    case null
    /// Text, and dates and times as written in the file.
    case text(String)
    case integer(Int64)
    case number(DecimalNumber)
    case boolean(Bool)
}
