/// The default `datetime` form: `YYYY-MM-DDTHH:MM:SS` with optional fraction and zone (`Z`, `±HH:MM`).
enum ISODateTime {
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> DatePattern.Parts? {
        var p = DatePattern.Parts()
        var i = 0
        let n = b.count
        func fixed(_ count: Int) -> Int? {
            guard i + count <= n else { return nil }
            var v = 0
            for k in 0..<count {
                let c = b[i + k]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += count
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < n, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = fixed(4), expect(UInt8(ascii: "-")), let month = fixed(2), (1...12).contains(month),
            expect(UInt8(ascii: "-")), let day = fixed(2), day >= 1, day <= CalendarMath.daysInMonth(year: year, month: month),
            expect(UInt8(ascii: "T")), let hour = fixed(2), hour <= 23, expect(UInt8(ascii: ":")),
            let minute = fixed(2), minute <= 59, expect(UInt8(ascii: ":")), let second = fixed(2), second <= 59
        else { return nil }
        p.year = year; p.month = month; p.day = day
        p.hour = hour; p.minute = minute; p.second = second
        if i < n && b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0, micro = 0
            while i < n, b[i] >= 0x30, b[i] <= 0x39 {
                if digits < 6 { micro = micro * 10 + Int(b[i] - 0x30) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in 0..<max(0, 6 - digits) { micro *= 10 }
            p.microsecond = micro
        }
        if i < n {
            guard let offset = DatePattern.zoneOffset(b, &i) else { return nil }
            p.offsetSeconds = offset
        }
        return i == n ? p : nil
    }
}
