/// The character encodings Hafen reads and writes. A byte-order mark in the file always wins:
/// a UTF-8 BOM is dropped, a UTF-16 BOM switches to UTF-16 of that byte order.
public enum TextEncoding: String, Sendable, Hashable, Codable, CaseIterable {
    case utf8 = "utf-8"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case windows1252 = "windows-1252"
    case iso8859_1 = "iso-8859-1"
    case iso8859_15 = "iso-8859-15"

    /// Parses the usual names and aliases (`cp1252`, `latin1`, `utf-8-sig`, `latin-9`, …), case-insensitively.
    public init?(name: String) {
        let key = name.lowercased().replacingAll("_", with: "-")
        switch key {
        case "utf-8", "utf8", "utf-8-sig": self = .utf8
        case "utf-16", "utf16", "utf-16le", "utf-16-le": self = .utf16LE
        case "utf-16be", "utf-16-be": self = .utf16BE
        case "windows-1252", "cp1252", "win-1252", "windows1252", "ansi": self = .windows1252
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1": self = .iso8859_1
        case "iso-8859-15", "iso8859-15", "latin9", "latin-9", "l9": self = .iso8859_15
        default: return nil
        }
    }

    /// Names accepted in configuration, for error messages.
    public static let acceptedNames = "utf-8, utf-16 (with BOM), windows-1252 (cp1252), iso-8859-1 (latin1), iso-8859-15 (latin9)"

    var isSingleByte: Bool {
        switch self {
        case .windows1252, .iso8859_1, .iso8859_15: true
        default: false
        }
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}
