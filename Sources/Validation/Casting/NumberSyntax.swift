import Foundation

/// Reads `integer` and `number` cells with the field's `decimalChar`, `groupChar` and `bareNumber`.
///
/// Stricter than Python's `Decimal` in one way, on purpose: group characters must stand between
/// groups of three digits in the whole part, so `1,234.50` under `decimalChar: ","` is an error
/// rather than 1.2345 (see RELIABILITY: only the flow's locale parses; ambiguity is an error).
struct NumberSyntax: Sendable {
    let decimalChar: [UInt8]
    let groupChar: [UInt8]?
    let bareNumber: Bool

    init(decimalChar: String = ".", groupChar: String? = nil, bareNumber: Bool = true) {
        self.decimalChar = Array(decimalChar.utf8)
        self.groupChar = groupChar.map { Array($0.utf8) }
        self.bareNumber = bareNumber
    }

    enum Failure: Error {
        case notANumber, tooLarge, fraction
    }

    /// Strips currency signs, units and other text around the number when `bareNumber` is false.
    private func core(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard !bareNumber else { return bytes }
        var start = 0, end = bytes.count
        func isNumeric(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) }
        while start < end && !isNumeric(bytes[start]) && bytes[start] != UInt8(ascii: "-") && bytes[start] != UInt8(ascii: "+")
            && !(decimalChar.first == bytes[start])
        {
            start += 1
        }
        while end > start && !isNumeric(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    func integer(_ raw: UnsafeBufferPointer<UInt8>) throws(Failure) -> Int64 {
        let number = try parse(core(raw), allowFraction: false)
        guard case let .exact(m, e) = number.storage, e >= 0 else { throw .fraction }
        var value = m
        for _ in 0..<e {
            let (r, o) = value.multipliedReportingOverflow(by: 10)
            if o { throw .tooLarge }
            value = r
        }
        return value
    }

    func number(_ raw: UnsafeBufferPointer<UInt8>) throws(Failure) -> DecimalNumber {
        try parse(core(raw), allowFraction: true)
    }

    private func matches(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int, _ token: [UInt8]) -> Bool {
        guard !token.isEmpty, i + token.count <= bytes.count else { return false }
        for k in 0..<token.count where bytes[i + k] != token[k] { return false }
        return true
    }

    private func parse(_ b: UnsafeBufferPointer<UInt8>, allowFraction: Bool) throws(Failure) -> DecimalNumber {
        let n = b.count
        guard n > 0 else { throw .notANumber }
        var i = 0
        var negative = false
        if b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") {
            negative = b[0] == UInt8(ascii: "-")
            i = 1
        }
        if allowFraction, let special = specialValue(b, from: i, negative: negative) { return special }
        var mantissa: Int64 = 0
        var exponent = 0
        var digits = 0
        var overflow = false
        var groupDigits = 0, groups = 0
        func addDigit(_ d: UInt8) {
            let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
            let (m2, o2) = m1.addingReportingOverflow(Int64(d))
            if o1 || o2 { overflow = true } else { mantissa = m2 }
        }
        // Whole part, with optional group separators.
        while i < n {
            let c = b[i]
            if c >= 0x30 && c <= 0x39 {
                if overflow { exponent += 1 } else { addDigit(c - 0x30) }
                digits += 1
                groupDigits += 1
                i += 1
            } else if let g = groupChar, matches(b, at: i, g) {
                // The first group may have 1–3 digits, every later one exactly 3.
                if (groups == 0 && (groupDigits == 0 || groupDigits > 3)) || (groups > 0 && groupDigits != 3) { throw .notANumber }
                groups += 1
                groupDigits = 0
                i += g.count
            } else {
                break
            }
        }
        if groups > 0 && groupDigits != 3 { throw .notANumber }
        if i < n && matches(b, at: i, decimalChar) {
            guard allowFraction else { throw .fraction }
            i += decimalChar.count
            while i < n, b[i] >= 0x30, b[i] <= 0x39 {
                if !overflow {
                    addDigit(b[i] - 0x30)
                    if !overflow { exponent -= 1 }
                }
                digits += 1
                i += 1
            }
        }
        guard digits > 0 else { throw .notANumber }
        if i < n && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
            guard allowFraction else { throw .notANumber }
            i += 1
            var expNegative = false
            if i < n && (b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+")) {
                expNegative = b[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0, expDigits = 0
            while i < n, b[i] >= 0x30, b[i] <= 0x39, e < 100_000 {
                e = e * 10 + Int(b[i] - 0x30)
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { throw .notANumber }
            exponent += expNegative ? -e : e
        }
        guard i == n else { throw .notANumber }
        if overflow {
            guard allowFraction else { throw .tooLarge }
            let text = String(decoding: b, as: UTF8.self)
            var cleaned = text
            if let g = groupChar { cleaned = cleaned.replacingAll(String(decoding: g, as: UTF8.self), with: "") }
            cleaned = cleaned.replacingAll(String(decoding: decimalChar, as: UTF8.self), with: ".")
            guard let d = Double(cleaned) else { throw .notANumber }
            return DecimalNumber(approximate: d)
        }
        if abs(exponent) > 300 {
            return DecimalNumber(approximate: Double(negative ? -mantissa : mantissa) * pow(10, exponent))
        }
        return DecimalNumber(mantissa: negative ? -mantissa : mantissa, exponent: exponent)
    }

    private func specialValue(_ b: UnsafeBufferPointer<UInt8>, from i: Int, negative: Bool) -> DecimalNumber? {
        let rest = String(decoding: UnsafeBufferPointer(rebasing: b[i...]), as: UTF8.self).uppercased()
        switch rest {
        case "NAN": return DecimalNumber(approximate: .nan)
        case "INF", "INFINITY": return DecimalNumber(approximate: negative ? -.infinity : .infinity)
        default: return nil
        }
    }
}

private func pow(_ base: Double, _ exp: Int) -> Double {
    var r = 1.0
    if exp >= 0 { for _ in 0..<exp { r *= base } } else { for _ in 0..<(-exp) { r /= base } }
    return r
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return components(separatedBy: target).joined(separator: replacement)
    }
}
