import Foundation

/// ISO 8601 times as Shopify writes `DateTime` values (`2026-11-22T10:15:00Z`), and reading
/// them back in search queries (with or without fractional seconds).
enum Timestamp {
    static func now() -> String {
        text(Date())
    }

    /// Now, to the millisecond the text form keeps: a time read back from an answer compares
    /// equal to the one stored (`updated_at:>T` must not find the object T came from).
    static func moment() -> Date {
        millisecond(Date())
    }

    static func millisecond(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    static func text(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)
    }
}
