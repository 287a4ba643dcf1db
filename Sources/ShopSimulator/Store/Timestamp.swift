import Foundation

/// ISO 8601 times as Shopify writes `DateTime` values (`2026-11-22T10:15:00Z`).
enum Timestamp {
    static func now() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
