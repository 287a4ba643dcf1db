public import Foundation

/// An exact decimal `mantissa × 10^exponent` as read from text, normalised so that equal
/// numbers are equal values; numbers beyond 18 significant digits fall back to `Double`.
public struct DecimalNumber: Sendable, Hashable, CustomStringConvertible {
    enum Storage: Hashable {
        case exact(mantissa: Int64, exponent: Int)
        case approximate(Double)
    }

    let storage: Storage

    init(mantissa: Int64, exponent: Int) {
        var m = mantissa, e = exponent
        if m == 0 {
            e = 0
        } else {
            while m % 10 == 0 { m /= 10; e += 1 }
        }
        storage = .exact(mantissa: m, exponent: e)
    }

    init(approximate value: Double) {
        storage = .approximate(value)
    }

    public var doubleValue: Double {
        switch storage {
        case let .exact(m, e): Double(m) * pow10(e)
        case let .approximate(d): d
        }
    }

    /// The number as Foundation's `Decimal` (exact for the exact form).
    public var decimalValue: Decimal {
        switch storage {
        case let .exact(m, e): Decimal(sign: m < 0 ? .minus : .plus, exponent: e, significand: Decimal(m.magnitude))
        case let .approximate(d): Decimal(d)
        }
    }

    func compare(to other: DecimalNumber) -> Int {
        if case let .exact(m1, e1) = storage, case let .exact(m2, e2) = other.storage, abs(e1 - e2) <= 18 {
            let shift = min(e1, e2)
            let a = Int128(m1) * Int128(pow10Int(e1 - shift))
            let b = Int128(m2) * Int128(pow10Int(e2 - shift))
            return a < b ? -1 : (a > b ? 1 : 0)
        }
        let a = doubleValue, b = other.doubleValue
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : (a.isNaN ? 1 : -1) }
        return a < b ? -1 : (a > b ? 1 : 0)
    }

    public var description: String {
        switch storage {
        case let .approximate(d):
            return d.isNaN ? "NaN" : (d.isInfinite ? (d < 0 ? "-INF" : "INF") : "\(d)")
        case let .exact(m, e):
            if e >= 0 { return String(m) + String(repeating: "0", count: e) }
            let digits = String(m.magnitude)
            let sign = m < 0 ? "-" : ""
            let places = -e
            if digits.count > places {
                let cut = digits.index(digits.endIndex, offsetBy: -places)
                return sign + digits[..<cut] + "." + digits[cut...]
            }
            return sign + "0." + String(repeating: "0", count: places - digits.count) + digits
        }
    }
}

private func pow10Int(_ n: Int) -> Int64 {
    var r: Int64 = 1
    for _ in 0..<n { r *= 10 }
    return r
}

private func pow10(_ n: Int) -> Double {
    var r = 1.0
    if n >= 0 { for _ in 0..<n { r *= 10 } } else { for _ in 0..<(-n) { r /= 10 } }
    return r
}
