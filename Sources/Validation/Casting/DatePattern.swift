/// A date/time pattern in `strptime` syntax (`%d.%m.%Y %H:%M`), compiled once and matched
/// against bytes. As in Python, `%d %m %H %M %S` take one or two digits, `%Y` four, `%y` two
/// (69–99 → 19xx), `%f` one to six, and a space matches one or more spaces.
struct DatePattern: Sendable {
    enum Token: Sendable, Equatable {
        case literal(UInt8)
        case whitespace
        case year4, year2, month, day, hour24, hour12, minute, second, fraction, ampm, zone, monthName, dayName
    }

    let tokens: [Token]
    let text: String

    /// Directives Hafen understands, for error messages.
    static let supported = "%Y %y %m %d %H %I %p %M %S %f %z %b %B %a %A %%"

    init(_ pattern: String) throws(PatternError) {
        var tokens: [Token] = []
        let bytes = Array(pattern.utf8)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "%") {
                guard i + 1 < bytes.count else { throw PatternError(pattern: pattern, directive: "%") }
                let d = bytes[i + 1]
                switch d {
                case UInt8(ascii: "Y"): tokens.append(.year4)
                case UInt8(ascii: "y"): tokens.append(.year2)
                case UInt8(ascii: "m"): tokens.append(.month)
                case UInt8(ascii: "d"): tokens.append(.day)
                case UInt8(ascii: "H"): tokens.append(.hour24)
                case UInt8(ascii: "I"): tokens.append(.hour12)
                case UInt8(ascii: "M"): tokens.append(.minute)
                case UInt8(ascii: "S"): tokens.append(.second)
                case UInt8(ascii: "f"): tokens.append(.fraction)
                case UInt8(ascii: "p"): tokens.append(.ampm)
                case UInt8(ascii: "z"): tokens.append(.zone)
                case UInt8(ascii: "b"), UInt8(ascii: "B"): tokens.append(.monthName)
                case UInt8(ascii: "a"), UInt8(ascii: "A"): tokens.append(.dayName)
                case UInt8(ascii: "%"): tokens.append(.literal(c))
                default: throw PatternError(pattern: pattern, directive: "%" + String(UnicodeScalar(d)))
                }
                i += 2
            } else if c == UInt8(ascii: " ") {
                tokens.append(.whitespace)
                i += 1
            } else {
                tokens.append(.literal(c))
                i += 1
            }
        }
        self.tokens = tokens
        self.text = pattern
    }

    /// The parts read from a value; absent parts keep their defaults (1900-01-01 00:00:00).
    struct Parts {
        var year = 1900, month = 1, day = 1
        var hour = 0, minute = 0, second = 0, microsecond = 0
        var pm: Bool?
        var offsetSeconds: Int?
    }

    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let fullMonthNames = ["january", "february", "march", "april", "may", "june", "july", "august",
                                 "september", "october", "november", "december"]
    static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// Matches the whole value or returns nil.
    func match(_ b: UnsafeBufferPointer<UInt8>) -> Parts? {
        var p = Parts()
        var i = 0
        let n = b.count
        func digits(min: Int, max: Int) -> Int? {
            var value = 0, count = 0
            while i < n, count < max, b[i] >= 0x30, b[i] <= 0x39 {
                value = value * 10 + Int(b[i] - 0x30)
                count += 1
                i += 1
            }
            return count >= min ? value : nil
        }
        func word(_ names: [String]) -> Int? {
            for (index, name) in names.enumerated() {
                let bytes = Array(name.utf8)
                guard i + bytes.count <= n else { continue }
                var ok = true
                for k in 0..<bytes.count where b[i + k] | 0x20 != bytes[k] {
                    ok = false
                    break
                }
                if ok {
                    i += bytes.count
                    return index
                }
            }
            return nil
        }
        for token in tokens {
            switch token {
            case .literal(let c):
                guard i < n, b[i] == c else { return nil }
                i += 1
            case .whitespace:
                guard i < n, b[i] == 0x20 || b[i] == 0x09 else { return nil }
                while i < n, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
            case .year4:
                guard let v = digits(min: 4, max: 4) else { return nil }
                p.year = v
            case .year2:
                guard let v = digits(min: 2, max: 2) else { return nil }
                p.year = v < 69 ? 2000 + v : 1900 + v
            case .month:
                guard let v = digits(min: 1, max: 2), (1...12).contains(v) else { return nil }
                p.month = v
            case .day:
                guard let v = digits(min: 1, max: 2), (1...31).contains(v) else { return nil }
                p.day = v
            case .hour24:
                guard let v = digits(min: 1, max: 2), v <= 23 else { return nil }
                p.hour = v
            case .hour12:
                guard let v = digits(min: 1, max: 2), (1...12).contains(v) else { return nil }
                p.hour = v
            case .minute:
                guard let v = digits(min: 1, max: 2), v <= 59 else { return nil }
                p.minute = v
            case .second:
                guard let v = digits(min: 1, max: 2), v <= 61 else { return nil }
                p.second = min(v, 59)
            case .fraction:
                let start = i
                guard var v = digits(min: 1, max: 6) else { return nil }
                for _ in 0..<(6 - (i - start)) { v *= 10 }
                p.microsecond = v
            case .ampm:
                guard let v = word(["am", "pm"]) else { return nil }
                p.pm = v == 1
            case .zone:
                guard let offset = Self.zoneOffset(b, &i) else { return nil }
                p.offsetSeconds = offset
            case .monthName:
                if let v = word(Self.fullMonthNames) ?? word(Self.monthNames) { p.month = v + 1 } else { return nil }
            case .dayName:
                guard word(Self.dayNames) != nil else { return nil }
                while i < n, (b[i] | 0x20) >= UInt8(ascii: "a"), (b[i] | 0x20) <= UInt8(ascii: "z") { i += 1 }
            }
        }
        guard i == n else { return nil }
        if let pm = p.pm {
            p.hour = p.hour % 12 + (pm ? 12 : 0)
        }
        guard p.day <= CalendarMath.daysInMonth(year: p.year, month: p.month) else { return nil }
        return p
    }

    /// `Z`, `±HH`, `±HHMM` or `±HH:MM`, as seconds east of UTC.
    static func zoneOffset(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Int? {
        let n = b.count
        guard i < n else { return nil }
        if b[i] == UInt8(ascii: "Z") {
            i += 1
            return 0
        }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return nil }
        let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
        i += 1
        func two() -> Int? {
            guard i + 1 < n, (0x30...0x39).contains(b[i]), (0x30...0x39).contains(b[i + 1]) else { return nil }
            defer { i += 2 }
            return Int(b[i] - 0x30) * 10 + Int(b[i + 1] - 0x30)
        }
        guard let hours = two(), hours <= 23 else { return nil }
        var minutes = 0
        if i < n && b[i] == UInt8(ascii: ":") { i += 1 }
        if i < n, let m = two() { minutes = m }
        guard minutes <= 59 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }
}

/// A date or time pattern with an unknown directive.
struct PatternError: Error {
    var pattern: String
    var directive: String
}

/// Proleptic Gregorian calendar arithmetic, without Foundation's Calendar (too slow per cell).
enum CalendarMath {
    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
