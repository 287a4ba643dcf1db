import Foundation
import Ledger
import Mapping

/// File names from a pattern: `ORD_{order.number}_{date:yyyyMMdd}.csv`. Placeholders are order
/// fields, `{kind}`, `{flow}`, `{seq}` (the file's number within the run) and `{date:FORMAT}`
/// (the time of writing). Characters a file system or an ERP would trip over become `_`.
enum FileNamePattern {
    /// The placeholder names in a pattern, in order.
    static func placeholders(in pattern: String) -> [String] {
        var names: [String] = []
        var rest = pattern[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    static func render(_ pattern: String, fields: OrderFields?, kind: String, flow: String, seq: Int, now: Date) -> String {
        var result = ""
        var rest = pattern[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            let value: String
            switch name {
            case "kind": value = kind
            case "flow": value = flow
            case "seq": value = String(seq)
            case _ where name.hasPrefix("date:"):
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.dateFormat = String(name.dropFirst(5))
                value = formatter.string(from: now)
            default: value = fields?[name].text ?? ""
            }
            result += safe(value)
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        return result
    }

    /// Letters, digits, `.`, `-` and `_` stay; anything else (`#`, `/`, spaces) becomes `_`.
    static func safe(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar -> Character in
            let c = Character(scalar)
            return (scalar.isASCII && (c.isLetter || c.isNumber)) || c == "." || c == "-" || c == "_" ? c : "_"
        })
    }
}
