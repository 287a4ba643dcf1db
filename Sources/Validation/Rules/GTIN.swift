/// GS1 Global Trade Item Numbers (EAN-8, UPC-A/EAN-12, EAN-13, GTIN-14) and their check digit.
public enum GTIN {
    public static let lengths: Set<Int> = [8, 12, 13, 14]

    public enum Problem: Equatable, Sendable {
        case notDigits
        case wrongLength(Int)
        case wrongCheckDigit(expected: UInt8)
    }

    /// The check digit the other digits call for (weights 3,1,3,… from the right, mod 10).
    static func checkDigit(_ digits: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var sum = 0
        var weight = 3
        var i = digits.count - 2
        while i >= 0 {
            sum += Int(digits[i] - 0x30) * weight
            weight = 4 - weight
            i -= 1
        }
        return UInt8((10 - sum % 10) % 10)
    }

    public static func problem(in bytes: UnsafeBufferPointer<UInt8>, lengths: Set<Int> = lengths) -> Problem? {
        for b in bytes where b < 0x30 || b > 0x39 { return .notDigits }
        guard lengths.contains(bytes.count) else { return .wrongLength(bytes.count) }
        let expected = checkDigit(bytes)
        return bytes[bytes.count - 1] - 0x30 == expected ? nil : .wrongCheckDigit(expected: expected)
    }

    public static func problem(in text: String, lengths: Set<Int> = lengths) -> Problem? {
        Array(text.utf8).withUnsafeBufferPointer { problem(in: $0, lengths: lengths) }
    }

    static func name(forLength length: Int) -> String {
        switch length {
        case 8: "EAN-8"
        case 12: "UPC-A (GTIN-12)"
        case 13: "EAN-13"
        default: "GTIN-14"
        }
    }
}
