/// The part of Shopify's search syntax the simulator understands: `field:value` terms joined by
/// `OR`, values optionally in double quotes with `\"` and `\\` escapes
/// (`sku:A-1 OR sku:"B 2"`). Anything else is refused rather than guessed.
struct SearchQuery: Equatable {
    /// Allowed field → the values asked for.
    var terms: [String: Set<String>] = [:]

    enum Problem: Error, Equatable {
        case unsupported(String)
    }

    static func parse(_ text: String, fields: Set<String>) throws(Problem) -> SearchQuery {
        var query = SearchQuery()
        var rest = Substring(text)
        func skipSpaces() { rest = rest.drop { $0 == " " } }
        skipSpaces()
        while !rest.isEmpty {
            guard let colon = rest.firstIndex(of: ":") else { throw .unsupported(String(rest)) }
            let field = String(rest[..<colon])
            guard fields.contains(field) else { throw .unsupported(field) }
            rest = rest[rest.index(after: colon)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var closed = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if character == "\\", let next = rest.first {
                        value.append(next)
                        rest = rest.dropFirst()
                    } else if character == "\"" {
                        closed = true
                        break
                    } else {
                        value.append(character)
                    }
                }
                guard closed else { throw .unsupported("unterminated quote") }
            } else {
                let end = rest.firstIndex(of: " ") ?? rest.endIndex
                value = String(rest[..<end])
                rest = rest[end...]
            }
            query.terms[field, default: []].insert(value)
            skipSpaces()
            if rest.hasPrefix("OR ") {
                rest = rest.dropFirst(3)
                skipSpaces()
            } else if !rest.isEmpty {
                throw .unsupported(String(rest))
            }
        }
        return query
    }
}
