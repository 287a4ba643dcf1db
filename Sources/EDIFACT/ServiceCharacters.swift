/// The service characters of an interchange: the separators, the decimal mark, the release
/// (escape) character and the segment terminator. Given by a UNA segment, or the defaults of
/// the syntax level when there is none.
public struct ServiceCharacters: Sendable, Hashable {
    public var component: UInt8
    public var element: UInt8
    /// The decimal mark the sender announced (`.` or `,`); numbers are read with either.
    public var decimal: UInt8
    /// nil: no release character (a space in UNA says so).
    public var release: UInt8?
    /// nil: no repetition separator (syntax version 3 reserves the position with a space).
    public var repetition: UInt8?
    public var terminator: UInt8

    public init(component: UInt8, element: UInt8, decimal: UInt8, release: UInt8?, repetition: UInt8?, terminator: UInt8) {
        self.component = component
        self.element = element
        self.decimal = decimal
        self.release = release
        self.repetition = repetition
        self.terminator = terminator
    }

    /// `:+.? '`: the defaults of syntax levels A and C without UNA.
    public static let standard = ServiceCharacters(
        component: UInt8(ascii: ":"), element: UInt8(ascii: "+"), decimal: UInt8(ascii: "."),
        release: UInt8(ascii: "?"), repetition: nil, terminator: UInt8(ascii: "'"))

    /// Syntax level B's defaults without UNA: the information separators IS1 (component),
    /// IS3 (element) and IS4 (terminator), with no release character.
    public static let levelB = ServiceCharacters(
        component: 0x1F, element: 0x1D, decimal: UInt8(ascii: "."), release: nil, repetition: nil, terminator: 0x1C)

    /// The standard characters with the line feed as terminator: exports that end every
    /// segment with a new line instead of `'` (read when the first line has no terminator).
    public static let lineEnded = ServiceCharacters(
        component: UInt8(ascii: ":"), element: UInt8(ascii: "+"), decimal: UInt8(ascii: "."),
        release: UInt8(ascii: "?"), repetition: nil, terminator: UInt8(ascii: "\n"))

    /// The characters of a UNA segment's six bytes (component, element, decimal, release,
    /// repetition or reserved, terminator); nil with the reason when they cannot work.
    public static func fromUNA(_ six: [UInt8]) -> Result<ServiceCharacters, UNAProblem> {
        guard six.count == 6 else { return .failure(UNAProblem(message: "UNA must be followed by exactly six service characters")) }
        let space = UInt8(ascii: " ")
        let characters = ServiceCharacters(
            component: six[0], element: six[1], decimal: six[2],
            release: six[3] == space ? nil : six[3], repetition: six[4] == space ? nil : six[4], terminator: six[5])
        let separators = [characters.component, characters.element, characters.terminator]
            + [characters.release, characters.repetition].compactMap { $0 }
        if Set(separators).count != separators.count {
            return .failure(UNAProblem(message: "UNA uses the same character for two purposes (\(Self.describe(six)))"))
        }
        for byte in separators where Self.isLetterOrDigit(byte) || byte == space {
            return .failure(UNAProblem(message: "UNA names \(Self.describe([byte])) as a separator; letters, digits and spaces cannot be"))
        }
        if characters.decimal != UInt8(ascii: ".") && characters.decimal != UInt8(ascii: ",") {
            return .failure(UNAProblem(message: "UNA's decimal mark must be \".\" or \",\", not \(Self.describe([characters.decimal]))"))
        }
        return .success(characters)
    }

    /// The six characters of a UNA segment that announces these characters.
    public var unaCharacters: [UInt8] {
        [component, element, decimal, release ?? UInt8(ascii: " "), repetition ?? UInt8(ascii: " "), terminator]
    }

    /// Whether `byte` has a meaning of its own and needs the release character in a value.
    func isService(_ byte: UInt8) -> Bool {
        byte == component || byte == element || byte == terminator || byte == release || byte == repetition
    }

    static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// Bytes shown for a message: printable ones quoted, others in hex.
    static func describe(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            if byte >= 0x21 && byte < 0x7F { return "\"\(Character(Unicode.Scalar(byte)))\"" }
            let hex = String(byte, radix: 16, uppercase: true)
            return "0x" + (hex.count == 1 ? "0" + hex : hex)
        }.joined(separator: " ")
    }
}

/// Why a UNA segment cannot be used.
public struct UNAProblem: Error, Sendable, Hashable {
    public var message: String
}
