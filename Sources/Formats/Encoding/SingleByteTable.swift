/// Code-page tables for the single-byte encodings: the Unicode scalar of every byte, or nil where
/// the code page leaves the byte undefined (such a byte is an encoding error, never U+FFFD).
struct SingleByteTable: Sendable {
    let scalars: [UInt32?]

    static let windows1252 = SingleByteTable(highHalf: [
        0x20AC, nil, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, nil, 0x017D, nil,
        nil, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, nil, 0x017E, 0x0178,
    ])

    static let iso8859_1 = SingleByteTable(highHalf: (0x80...0x9F).map { Optional(UInt32($0)) })

    /// ISO-8859-15 is Latin-1 with eight positions changed (€, Š, š, Ž, ž, Œ, œ, Ÿ).
    static let iso8859_15: SingleByteTable = {
        var scalars = (0...255).map { Optional(UInt32($0)) }
        let changes: [Int: UInt32] = [
            0xA4: 0x20AC, 0xA6: 0x0160, 0xA8: 0x0161, 0xB4: 0x017D,
            0xB8: 0x017E, 0xBC: 0x0152, 0xBD: 0x0153, 0xBE: 0x0178,
        ]
        for (byte, scalar) in changes { scalars[byte] = scalar }
        return SingleByteTable(scalars: scalars)
    }()

    init(scalars: [UInt32?]) {
        self.scalars = scalars
    }

    /// ASCII and 0xA0–0xFF map to themselves; `highHalf` gives 0x80–0x9F.
    init(highHalf: [UInt32?]) {
        var scalars = (0...255).map { Optional(UInt32($0)) }
        for (i, scalar) in highHalf.enumerated() { scalars[0x80 + i] = scalar }
        self.scalars = scalars
    }

    static func forEncoding(_ encoding: TextEncoding) -> SingleByteTable? {
        switch encoding {
        case .windows1252: .windows1252
        case .iso8859_1: .iso8859_1
        case .iso8859_15: .iso8859_15
        default: nil
        }
    }

    /// The byte for a scalar, for writing back in the same code page.
    func reverse() -> [UInt32: UInt8] {
        var map: [UInt32: UInt8] = [:]
        for (byte, scalar) in scalars.enumerated() {
            if let scalar { map[scalar] = UInt8(byte) }
        }
        return map
    }
}
