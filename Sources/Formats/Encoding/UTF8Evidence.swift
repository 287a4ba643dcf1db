/// Watches the non-ASCII bytes of a file read in a single-byte encoding (windows-1252, ISO 8859)
/// for the sign that it is really UTF-8: every such byte belongs to a well-formed multi-byte
/// UTF-8 sequence. German text in windows-1252 practically never does (`ö` is one byte, 0xF6,
/// which UTF-8 never allows alone), while a UTF-8 export read as windows-1252 always does, and
/// would otherwise turn `Größe` into `GrÃ¶ÃŸe` without a word.
public struct UTF8Evidence: Sendable {
    /// Well-formed multi-byte sequences seen so far.
    public private(set) var sequences = 0
    /// Whether a non-ASCII byte was seen that UTF-8 does not allow there.
    public private(set) var broken = false
    /// The file offset of the first sequence, and its bytes, to show what it meant.
    public private(set) var firstOffset: Int?
    public private(set) var firstBytes: [UInt8] = []
    private var expecting = 0
    private var sequenceStart = 0
    private var lastOffset = -2
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF
    private var current: [UInt8] = []

    public init() {}

    /// Whether the whole input, ended, reads as UTF-8 with at least one multi-byte character.
    public var looksLikeUTF8: Bool { !broken && expecting == 0 && sequences > 0 }

    /// Feeds one non-ASCII byte at file offset `offset` (ASCII bytes need not be fed: one between
    /// a lead byte and its continuation is noticed by the gap in offsets).
    @inline(__always)
    mutating func feed(_ byte: UInt8, at offset: Int) {
        if broken { return }
        if expecting > 0 {
            guard offset == lastOffset + 1, byte >= lower, byte <= upper else { broken = true; return }
            lower = 0x80; upper = 0xBF
            expecting -= 1
            lastOffset = offset
            if firstOffset == nil { current.append(byte) }
            if expecting == 0 {
                sequences += 1
                if firstOffset == nil {
                    firstOffset = sequenceStart
                    firstBytes = current
                }
            }
            return
        }
        switch byte {
        case 0xC2...0xDF: expecting = 1
        case 0xE0: expecting = 2; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: expecting = 2
        case 0xED: expecting = 2; upper = 0x9F
        case 0xF0: expecting = 3; lower = 0x90
        case 0xF1...0xF3: expecting = 3
        case 0xF4: expecting = 3; upper = 0x8F
        default: broken = true; return
        }
        sequenceStart = offset
        lastOffset = offset
        if firstOffset == nil { current = [byte] }
    }

    /// The first sequence as UTF-8 means it, and as `encoding` misreads it (`ö` and `Ã¶`).
    public func example(misreadAs encoding: TextEncoding) -> (meant: String, misread: String) {
        let table = SingleByteTable.forEncoding(encoding)?.scalars ?? []
        var misread = ""
        for byte in firstBytes {
            let scalar = table.isEmpty ? UInt32(byte) : table[Int(byte)] ?? 0xFFFD
            misread.unicodeScalars.append(Unicode.Scalar(scalar) ?? "\u{FFFD}")
        }
        return (String(decoding: firstBytes, as: UTF8.self), misread)
    }
}
