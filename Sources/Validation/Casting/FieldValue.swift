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

    /// Feeds the value into a key fingerprint: equal exactly when the logical values are.
    func addKey(to hash: inout KeyHash) {
        func add(_ tag: UInt64, _ payload: Int64) {
            hash.add(tag)
            hash.add(UInt64(bitPattern: payload))
        }
        switch self {
        case .integer(let v): add(2, v)
        case .number(let d):
            hash.add(3)
            var text = d.description
            text.withUTF8 { hash.add($0) }
        case .boolean(let b): add(4, b ? 1 : 0)
        case .date(let v): add(5, Int64(v))
        case .time(let v): add(6, v)
        case .datetime(let v): add(7, v)
        case .year(let v): add(8, Int64(v))
        case .yearmonth(let v): add(9, Int64(v))
        }
    }
}
