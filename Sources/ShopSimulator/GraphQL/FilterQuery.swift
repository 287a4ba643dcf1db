import Foundation

/// The part of Shopify's search syntax the simulator understands for orders and customers:
/// terms joined by spaces (all must hold), each `field:value` (compared without case) or, for
/// times, `field:>=2026-11-01T00:00:00Z` (also `>`, `<=`, `<`; values may be quoted).
/// Anything else is refused rather than guessed.
struct FilterQuery {
    enum Kind {
        case text, time
    }

    enum Condition {
        case equals(String)
        case after(Date, inclusive: Bool)
        case before(Date, inclusive: Bool)

        func holds(text: String?) -> Bool {
            guard case .equals(let wanted) = self else { return false }
            return text?.lowercased() == wanted.lowercased()
        }

        /// Compared in whole milliseconds, the precision answers carry.
        func holds(time: Date) -> Bool {
            func ms(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
            switch self {
            case .equals: return false
            case .after(let date, let inclusive): return inclusive ? ms(time) >= ms(date) : ms(time) > ms(date)
            case .before(let date, let inclusive): return inclusive ? ms(time) <= ms(date) : ms(time) < ms(date)
            }
        }
    }

    struct Problem: Error {
        var message: String
    }

    var terms: [(field: String, condition: Condition)] = []

    static func parse(_ text: String, fields: [String: Kind]) throws(Problem) -> FilterQuery {
        var query = FilterQuery()
        for token in text.split(separator: " ", omittingEmptySubsequences: true) {
            guard let colon = token.firstIndex(of: ":") else { throw Problem(message: "\(token) is not field:value") }
            let field = String(token[..<colon])
            guard let kind = fields[field] else { throw Problem(message: "the field \(field) is not searchable here") }
            var value = String(token[token.index(after: colon)...])
            var comparison = "="
            for op in [">=", "<=", ">", "<"] where value.hasPrefix(op) {
                comparison = op
                value.removeFirst(op.count)
                break
            }
            value = value.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            switch kind {
            case .text:
                guard comparison == "=" else { throw Problem(message: "\(field) can only be compared for equality") }
                query.terms.append((field, .equals(value)))
            case .time:
                guard let date = Timestamp.date(value) else { throw Problem(message: "\(value) is not an ISO 8601 time") }
                switch comparison {
                case ">=": query.terms.append((field, .after(date, inclusive: true)))
                case ">": query.terms.append((field, .after(date, inclusive: false)))
                case "<=": query.terms.append((field, .before(date, inclusive: true)))
                case "<": query.terms.append((field, .before(date, inclusive: false)))
                default: throw Problem(message: "\(field) needs a comparison such as >=")
                }
            }
        }
        return query
    }
}
