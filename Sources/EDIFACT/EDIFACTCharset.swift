#if canImport(Glibc)
import Glibc
#endif

/// The character repertoire and encoding an interchange announces in UNB (syntax identifier
/// `0001`): UNOA and UNOB (ASCII subsets), UNOC–UNOL (the parts of ISO 8859), UNOW and UNOY
/// (UTF-8). Values are decoded as they are read; a character outside UNOA's or UNOB's
/// repertoire is reported, not refused.
public enum EDIFACTCharset: Sendable, Hashable {
    /// Level A: upper-case letters, digits, space and `.,-()/='+:?!"%&*;<>`.
    case levelA
    /// Level B: level A with lower-case letters and the rest of printable ASCII.
    case levelB
    /// A part of ISO 8859 (1 for UNOC, 2 for UNOD …).
    case iso8859(part: Int)
    case utf8

    /// The charset of a syntax identifier; nil for one Hafen does not know (the caller reads
    /// such an interchange as ISO 8859-1 and says so).
    public init?(syntaxIdentifier: String) {
        switch syntaxIdentifier {
        case "UNOA": self = .levelA
        case "UNOB": self = .levelB
        case "UNOC": self = .iso8859(part: 1)
        case "UNOD": self = .iso8859(part: 2)
        case "UNOE": self = .iso8859(part: 5)
        case "UNOF": self = .iso8859(part: 7)
        case "UNOG": self = .iso8859(part: 3)
        case "UNOH": self = .iso8859(part: 4)
        case "UNOI": self = .iso8859(part: 6)
        case "UNOJ": self = .iso8859(part: 8)
        case "UNOK": self = .iso8859(part: 9)
        case "UNOL": self = .iso8859(part: 15)
        case "UNOW", "UNOY": self = .utf8
        default: return nil
        }
    }

    /// The syntax identifier Hafen writes for this charset.
    public var syntaxIdentifier: String {
        switch self {
        case .levelA: "UNOA"
        case .levelB: "UNOB"
        case .utf8: "UNOW"
        case .iso8859(let part): Self.identifiers[part] ?? "UNOC"
        }
    }

    private static let identifiers = [1: "UNOC", 2: "UNOD", 5: "UNOE", 7: "UNOF", 3: "UNOG", 4: "UNOH", 6: "UNOI", 8: "UNOJ", 9: "UNOK", 15: "UNOL"]

    /// Whether a byte belongs to the level's repertoire: levels A and B hold only ASCII, the
    /// others every byte their encoding defines.
    func allows(_ byte: UInt8) -> Bool {
        switch self {
        case .levelA: byte < 0x80 && Self.levelARepertoire[Int(byte)]
        case .levelB: byte >= 0x20 && byte < 0x7F
        case .iso8859, .utf8: true
        }
    }

    private static let levelARepertoire: [Bool] = {
        var allowed = [Bool](repeating: false, count: 128)
        for byte in Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-()/='+:?!\"%&*;<>".utf8) { allowed[Int(byte)] = true }
        return allowed
    }()

    /// The Unicode scalar of each byte of a single-byte charset (levels A and B read their
    /// stray high bytes as ISO 8859-1, so no byte is lost); nil for UTF-8.
    var byteTable: [Unicode.Scalar?]? {
        switch self {
        case .utf8: nil
        case .levelA, .levelB: Self.tables[1] ?? nil
        case .iso8859(let part): Self.tables[part] ?? nil
        }
    }

    /// Every ISO 8859 part's table, built once from iconv; part 1 needs none.
    private static let tables: [Int: [Unicode.Scalar?]] = {
        var tables: [Int: [Unicode.Scalar?]] = [1: (0...255).map { Unicode.Scalar(UInt8($0)) }]
        for part in [2, 3, 4, 5, 6, 7, 8, 9, 15] { tables[part] = iconvTable("ISO-8859-\(part)") }
        return tables
    }()

    /// Asks iconv for the scalar of each byte of a single-byte encoding; a byte it cannot
    /// convert (undefined in that part) stays nil.
    private static func iconvTable(_ name: String) -> [Unicode.Scalar?] {
        var table = [Unicode.Scalar?](repeating: nil, count: 256)
        for byte in 0..<128 { table[byte] = Unicode.Scalar(UInt8(byte)) }
        let converter = iconv_open("UTF-32LE", name)
        guard let converter, converter != iconv_t(bitPattern: -1) else { return table }
        defer { iconv_close(converter) }
        for byte in 128..<256 {
            var input: [CChar] = [CChar(bitPattern: UInt8(byte))]
            var output = [UInt8](repeating: 0, count: 8)
            let converted: Int = input.withUnsafeMutableBufferPointer { inBuffer in
                output.withUnsafeMutableBufferPointer { outBuffer in
                    var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress
                    var inLeft = 1
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                    var outLeft = 8
                    return iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1 ? -1 : 8 - outLeft
                }
            }
            if converted == 4 {
                let value = UInt32(output[0]) | UInt32(output[1]) << 8 | UInt32(output[2]) << 16 | UInt32(output[3]) << 24
                table[byte] = Unicode.Scalar(value)
            }
        }
        return table
    }
}
