import Crypto

/// Which names in an inbox Hafen takes, ignores or refuses.
public enum FileNamePolicy {
    /// Names that are still being written by convention: `*.tmp`, `*.part`, hidden and `~` files.
    public static func isTemporary(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasPrefix("~") || name.hasSuffix(".tmp") || name.hasSuffix(".part")
            || name.hasSuffix(".TMP") || name.hasSuffix(".PART") || name.hasSuffix("~")
    }

    /// Why a name is refused, or nil when it is acceptable: no path separators, NUL or control
    /// characters, not `.`/`..`, no leading `-`, at most 255 bytes, valid UTF-8.
    public static func problem(with nameBytes: [UInt8]) -> String? {
        guard !nameBytes.isEmpty else { return "the name is empty" }
        guard nameBytes.count <= 255 else { return "the name is longer than 255 bytes" }
        guard String(validating: nameBytes, as: UTF8.self) != nil else { return "the name is not valid UTF-8" }
        if nameBytes == [0x2E] || nameBytes == [0x2E, 0x2E] { return "the name is . or .." }
        if nameBytes.first == UInt8(ascii: "-") { return "the name starts with '-'" }
        for b in nameBytes {
            if b == UInt8(ascii: "/") || b == UInt8(ascii: "\\") { return "the name contains a path separator" }
            if b < 0x20 || b == 0x7F { return "the name contains a control character" }
        }
        return nil
    }

    /// Characters that could forge a log line or hide part of a name.
    private static let hiddenCategories: Set<Unicode.GeneralCategory> = [.control, .format, .lineSeparator, .paragraphSeparator]

    /// The name with anything unprintable shown as `\xNN`, safe for logs and file names.
    public static func escaped(_ nameBytes: [UInt8]) -> String {
        if problem(with: nameBytes) == nil { return String(decoding: nameBytes, as: UTF8.self) }
        var out = ""
        if let text = String(validating: nameBytes, as: UTF8.self) {
            // Valid UTF-8 refused for another reason (its length, a control character): only
            // what cannot be shown is escaped, so "ä" stays readable.
            for scalar in text.unicodeScalars {
                // Control and format characters (C0, DEL, C1, a right-to-left override) could
                // forge a log line or hide part of the name: shown as their UTF-8 bytes.
                if hiddenCategories.contains(scalar.properties.generalCategory) || scalar == "/" || scalar == "\\" {
                    out += String(scalar).utf8.map { "\\x" + String($0, radix: 16, uppercase: true).leftPadded(2) }.joined()
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            return out
        }
        for b in nameBytes {
            if b < 0x20 || b >= 0x7F || b == UInt8(ascii: "/") || b == UInt8(ascii: "\\") {
                out += "\\x" + String(b, radix: 16, uppercase: true).leftPadded(2)
            } else {
                out.append(Character(UnicodeScalar(b)))
            }
        }
        return out
    }

    /// `name` cut to at most `limit` bytes of UTF-8, on a character boundary, keeping a short
    /// extension (`.csv`) and putting 8 hex digits of the whole name's SHA-256 before it, so two
    /// long names with the same beginning stay apart. Names that fit are returned unchanged.
    /// Hafen's own traces add up to ~60 bytes (`<id>-`, `.rejected.csv`, `.receipt.json`, a
    /// temporary suffix), so names kept at 160 bytes always fit the 255-byte limit of a name.
    public static func shortened(_ name: String, limit: Int = 160) -> String {
        guard name.utf8.count > limit else { return name }
        var stem = Substring(name)
        var ext = Substring("")
        if let dot = name.lastIndex(of: "."), dot != name.startIndex, name.utf8.distance(from: dot, to: name.endIndex) <= 16 {
            stem = name[..<dot]
            ext = name[dot...]
        }
        let hash = SHA256.hash(data: Array(name.utf8)).hex.prefix(8)
        let room = limit - ext.utf8.count - 9
        var kept = ""
        for character in stem {
            if kept.utf8.count + character.utf8.count > room { break }
            kept.append(character)
        }
        return kept + "~" + hash + ext
    }

    /// Shell-style match of `*`, `?` and `[…]` against a name (fnmatch without flags).
    public static func matches(_ name: String, glob: String) -> Bool {
        fnmatch(glob, name, 0) == 0
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
