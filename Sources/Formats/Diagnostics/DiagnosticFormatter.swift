/// Renders diagnostics as one compiler-style line each, the only place that does so:
/// `inbox/stock/stock-0501.csv:14:3: error HV204: field "EAN" = "400123": not a valid EAN-13 (check digit)`
public enum DiagnosticFormatter {
    /// Values longer than this are cut in messages (the receipt keeps them up to the same cap).
    public static let valueLimit = 80

    public static func line(for diagnostic: Diagnostic) -> String {
        var text = "\(diagnostic.position.compilerStyle): \(diagnostic.severity.rawValue) \(diagnostic.code.rawValue): "
        if let field = diagnostic.field {
            text += "field \"\(escaped(field))\""
            if let value = diagnostic.value { text += " = \"\(escaped(value))\"" }
            text += ": "
        }
        text += diagnostic.message
        return text
    }

    /// Control characters and over-long values are made visible and bounded, never printed raw.
    public static func escaped(_ text: String) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == valueLimit {
                out += "…"
                break
            }
            count += 1
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
