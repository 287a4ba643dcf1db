/// XML's white space (space, tab, line feed, carriage return), trimmed on the UTF-8 bytes: the
/// records of a large file trim millions of texts, and Foundation's trimming goes through
/// UTF-16 for each.
enum XMLWhitespace {
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    /// `text` without XML white space at either end.
    static func trimmed(_ text: String) -> String {
        let bytes = text.utf8
        guard let first = bytes.first, let last = bytes.last, isSpace(first) || isSpace(last) else { return text }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }), let end = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[start...end])
    }
}
