/// The `string` formats of Table Schema: checks on the text itself.
enum StringFormat: String, Sendable {
    case `default`, email, uri, uuid, binary

    /// Whether the text fits the format.
    @inline(__always)
    func accepts(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        self == .default || problem(b) == nil
    }

    /// nil when the text fits the format, else what it should look like.
    func problem(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        switch self {
        case .default: return nil
        case .email:
            // local@domain.tld, no spaces, one @ (what frictionless and most validators accept).
            guard let at = b.firstIndex(of: UInt8(ascii: "@")), at > 0, b.lastIndex(of: UInt8(ascii: "@")) == at,
                !b.contains(where: { $0 <= 0x20 })
            else { return "not an e-mail address" }
            let domain = b[(at + 1)...]
            guard let dot = domain.lastIndex(of: UInt8(ascii: ".")), dot > at + 1, dot < b.count - 1 else {
                return "not an e-mail address (the domain needs a dot)"
            }
            return nil
        case .uri:
            // scheme ":" rest, scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986).
            guard let colon = b.firstIndex(of: UInt8(ascii: ":")), colon > 0, colon < b.count - 1 else { return "not a URI (scheme:…)" }
            for (k, c) in b[..<colon].enumerated() {
                let alpha = (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z")
                let other = (0x30...0x39).contains(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
                if !(alpha || (k > 0 && other)) { return "not a URI (bad scheme)" }
            }
            if b.contains(where: { $0 <= 0x20 }) { return "not a URI (contains spaces)" }
            return nil
        case .uuid:
            let hex = b.filter { $0 != UInt8(ascii: "-") }
            let shapeOK = b.count == 32 || (b.count == 36 && [8, 13, 18, 23].allSatisfy { b[$0] == UInt8(ascii: "-") })
            guard shapeOK, hex.count == 32, hex.allSatisfy({ isHex($0) }) else { return "not a UUID (8-4-4-4-12 hex digits)" }
            return nil
        case .binary:
            let body = b.filter { $0 != 0x0A && $0 != 0x0D }
            guard body.count % 4 == 0 else { return "not base64" }
            for (k, c) in body.enumerated() {
                let ok = (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "z")) || (0x30...0x39).contains(c)
                    || c == UInt8(ascii: "+") || c == UInt8(ascii: "/") || (c == UInt8(ascii: "=") && k >= body.count - 2)
                if !ok { return "not base64" }
            }
            return nil
        }
    }

    private func isHex(_ c: UInt8) -> Bool {
        (0x30...0x39).contains(c) || ((c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "f"))
    }
}
