/// A cell's logical value after casting, the thing constraints reason about.
public enum FieldValue: Sendable, Hashable {
    case integer(Int64)
    case number(DecimalNumber)
    case boolean(Bool)
    /// Days since 1970-01-01.
    case date(Int)
    /// Microseconds since midnight.
    case time(Int64)
    /// Microseconds since 1970-01-01T00:00:00 UTC (a value without zone is taken as UTC).
    case datetime(Int64)
    case year(Int)
    /// `year * 12 + month - 1`.
    case yearmonth(Int)

    /// Orders two values of the same kind; nil if they cannot be compared.
    func compare(to other: FieldValue) -> Int? {
        switch (self, other) {
        case let (.integer(a), .integer(b)): a < b ? -1 : (a > b ? 1 : 0)
        case let (.number(a), .number(b)): a.compare(to: b)
        case let (.integer(a), .number(b)): DecimalNumber(mantissa: a, exponent: 0).compare(to: b)
        case let (.number(a), .integer(b)): a.compare(to: DecimalNumber(mantissa: b, exponent: 0))
        case let (.date(a), .date(b)), let (.year(a), .year(b)), let (.yearmonth(a), .yearmonth(b)): a < b ? -1 : (a > b ? 1 : 0)
        case let (.time(a), .time(b)), let (.datetime(a), .datetime(b)): a < b ? -1 : (a > b ? 1 : 0)
        default: nil
        }
    }

    /// Bytes that are equal exactly when the logical values are: keys for unique checks.
    func appendKey(to key: inout [UInt8]) {
        func append(_ tag: UInt8, _ payload: Int64) {
            key.append(tag)
            withUnsafeBytes(of: payload.littleEndian) { key.append(contentsOf: $0) }
        }
        switch self {
        case .integer(let v): append(0x02, v)
        case .number(let d): key.append(0x03); key.append(contentsOf: d.description.utf8)
        case .boolean(let b): append(0x04, b ? 1 : 0)
        case .date(let v): append(0x05, Int64(v))
        case .time(let v): append(0x06, v)
        case .datetime(let v): append(0x07, v)
        case .year(let v): append(0x08, Int64(v))
        case .yearmonth(let v): append(0x09, Int64(v))
        }
    }
}
