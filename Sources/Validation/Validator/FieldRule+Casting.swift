import Formats

extension FieldRule {
    /// Why a cell did not cast: not the type, a whole number out of range, or a string format
    /// (email, uri, …) broken; `failure(_:)` turns it into words.
    enum CastFailure: Error {
        case notType, outOfRange, format
    }

    /// Casts a non-missing cell with the field's type and format.
    @inline(__always)
    static func cast(_ caster: Caster, _ b: UnsafeBufferPointer<UInt8>) -> Result<Cast, CastFailure> {
        switch caster {
        case .any:
            return .success(.text)
        case .text(let format):
            if !format.accepts(b) { return .failure(.format) }
            return .success(.text)
        case .integer(let syntax):
            do {
                return .success(.value(.integer(try syntax.integer(b))))
            } catch {
                return .failure(error == .tooLarge ? .outOfRange : .notType)
            }
        case .number(let syntax):
            do {
                return .success(.value(.number(try syntax.number(b))))
            } catch {
                return .failure(.notType)
            }
        case .boolean(let trueValues, let falseValues):
            if trueValues.contains(b) { return .success(.value(.boolean(true))) }
            if falseValues.contains(b) { return .success(.value(.boolean(false))) }
            return .failure(.notType)
        case .date(let pattern):
            guard let p = pattern.match(b) else { return .failure(.notType) }
            return .success(.value(.date(CalendarMath.days(year: p.year, month: p.month, day: p.day))))
        case .time(let pattern):
            guard let p = pattern.match(b) else { return .failure(.notType) }
            let seconds = Int64(p.hour * 3600 + p.minute * 60 + p.second)
            return .success(.value(.time(seconds * 1_000_000 + Int64(p.microsecond))))
        case .datetime(let pattern):
            guard let p = pattern.map({ $0.match(b) }) ?? ISODateTime.parse(b) else { return .failure(.notType) }
            let days = Int64(CalendarMath.days(year: p.year, month: p.month, day: p.day))
            let seconds = days * 86_400 + Int64(p.hour * 3600 + p.minute * 60 + p.second) - Int64(p.offsetSeconds ?? 0)
            return .success(.value(.datetime(seconds * 1_000_000 + Int64(p.microsecond))))
        case .year:
            guard b.count == 4, b.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return .failure(.notType) }
            return .success(.value(.year(b.reduce(0) { $0 * 10 + Int($1 - 0x30) })))
        case .yearmonth:
            guard b.count == 7, b[4] == UInt8(ascii: "-") else { return .failure(.notType) }
            let digits = Array(b[0..<4]) + Array(b[5..<7])
            guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return .failure(.notType) }
            let year = digits[0..<4].reduce(0) { $0 * 10 + Int($1 - 0x30) }
            let month = Int(digits[4] - 0x30) * 10 + Int(digits[5] - 0x30)
            guard (1...12).contains(month) else { return .failure(.notType) }
            return .success(.value(.yearmonth(year * 12 + month - 1)))
        }
    }

    /// "a number like 1.234,56" — what a valid value looks like, for messages.
    static func describe(_ field: FieldDescriptor) -> String {
        switch field.type {
        case .string: field.format == "default" ? "text" : "a valid \(field.format)"
        case .any: "any value"
        case .integer:
            "a whole number" + (field.groupChar.map { " (thousands separator \"\($0)\")" } ?? "")
        case .number:
            "a number like " + example(decimal: field.decimalChar, group: field.groupChar)
        case .boolean:
            "one of " + (field.trueValues + field.falseValues).joined(separator: ", ")
        case .date: "a date in the form \(field.format == "default" ? "%Y-%m-%d" : field.format) (e.g. \(example(field.format == "default" ? "%Y-%m-%d" : field.format)))"
        case .time: "a time in the form \(field.format == "default" ? "%H:%M:%S" : field.format) (e.g. \(example(field.format == "default" ? "%H:%M:%S" : field.format)))"
        case .datetime:
            field.format == "default"
                ? "a date and time like 2024-12-31T23:59:00"
                : "a date and time in the form \(field.format) (e.g. \(example(field.format)))"
        case .year: "a year like 2024"
        case .yearmonth: "a year and month like 2024-12"
        }
    }

    private static func example(decimal: String, group: String?) -> String {
        (group.map { "1\($0)234" } ?? "1234") + "\(decimal)56"
    }

    /// The pattern with each directive replaced by a sample value.
    static func example(_ pattern: String) -> String {
        let samples: [Character: String] = [
            "Y": "2024", "y": "24", "m": "12", "d": "31", "H": "23", "I": "11", "M": "59", "S": "00",
            "f": "000000", "p": "PM", "z": "+0100", "b": "Dec", "B": "December", "a": "Tue", "A": "Tuesday", "%": "%",
        ]
        var out = ""
        var directive = false
        for ch in pattern {
            if directive {
                out += samples[ch] ?? "?"
                directive = false
            } else if ch == "%" {
                directive = true
            } else {
                out.append(ch)
            }
        }
        return out
    }

    static func describe(_ problem: GTIN.Problem, lengths: Set<Int>, count: Int) -> String {
        let allowed = lengths.sorted().map(String.init).joined(separator: ", ")
        switch problem {
        case .notDigits: return "not a GTIN/EAN: only digits are allowed"
        case .wrongLength(let n): return "not a GTIN/EAN: must have \(allowed) digits (has \(n))"
        case .wrongCheckDigit(let expected):
            return "not a valid \(GTIN.name(forLength: count)): the check digit (last digit) should be \(expected)"
        }
    }
}
