/// Encodes UTF-8 text into one of the `TextEncoding`s, for writing files back in their own encoding.
struct TextEncoder: Sendable {
    let encoding: TextEncoding
    private let reverse: [UInt32: UInt8]

    init(encoding: TextEncoding) {
        self.encoding = encoding
        reverse = SingleByteTable.forEncoding(encoding)?.reverse() ?? [:]
    }

    /// The byte-order mark written at the start of a UTF-16 file (none for the others).
    var byteOrderMark: [UInt8] {
        switch encoding {
        case .utf16LE: [0xFF, 0xFE]
        case .utf16BE: [0xFE, 0xFF]
        default: []
        }
    }

    /// Appends `text` in this encoding; a character the code page lacks is an error naming it.
    func encode(_ text: String, into output: inout [UInt8]) throws(UnencodableCharacter) {
        switch encoding {
        case .utf8:
            output.append(contentsOf: text.utf8)
        case .utf16LE, .utf16BE:
            for unit in text.utf16 {
                if encoding == .utf16LE {
                    output.append(UInt8(unit & 0xFF)); output.append(UInt8(unit >> 8))
                } else {
                    output.append(UInt8(unit >> 8)); output.append(UInt8(unit & 0xFF))
                }
            }
        case .windows1252, .iso8859_1, .iso8859_15:
            for scalar in text.unicodeScalars {
                if scalar.value < 0x80 {
                    output.append(UInt8(scalar.value))
                } else if let byte = reverse[scalar.value] {
                    output.append(byte)
                } else {
                    throw UnencodableCharacter(character: Character(scalar), encoding: encoding)
                }
            }
        }
    }
}

/// A character the target encoding cannot represent.
public struct UnencodableCharacter: Error, Sendable, CustomStringConvertible {
    public var character: Character
    public var encoding: TextEncoding

    public var description: String {
        "the character \"\(character)\" (U+\(String(character.unicodeScalars.first!.value, radix: 16, uppercase: true))) cannot be written in \(encoding.rawValue)"
    }
}
