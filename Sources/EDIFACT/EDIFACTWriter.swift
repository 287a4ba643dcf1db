/// Writes segments as bytes: the values encoded in the interchange's charset, every service
/// character inside a value preceded by the release character, each segment ended by the
/// terminator (and a line break, unless asked not to).
public struct EDIFACTWriter: Sendable {
    public var characters: ServiceCharacters
    public var charset: EDIFACTCharset
    /// A line feed after each terminator: one segment a line, as people read them.
    public var lineBreaks: Bool
    private let reverse: [Unicode.Scalar: UInt8]?

    public init(characters: ServiceCharacters = .standard, charset: EDIFACTCharset = .iso8859(part: 1), lineBreaks: Bool = true) {
        self.characters = characters
        self.charset = charset
        self.lineBreaks = lineBreaks
        if let table = charset.byteTable {
            var reverse: [Unicode.Scalar: UInt8] = [:]
            for (byte, scalar) in table.enumerated() {
                guard let scalar else { continue }
                if charset == .levelA || charset == .levelB, byte >= 0x80 { continue }
                reverse[scalar] = UInt8(byte)
            }
            self.reverse = reverse
        } else {
            self.reverse = nil
        }
    }

    /// The UNA service string advice for these characters.
    public var una: [UInt8] {
        var bytes = Array("UNA".utf8) + characters.unaCharacters
        if lineBreaks { bytes.append(0x0A) }
        return bytes
    }

    /// One segment as bytes.
    public func bytes(of segment: EDIFACTSegment) throws(EDIFACTWriteError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        out.append(contentsOf: segment.tag.utf8)
        for component in segment.tagComponents {
            out.append(characters.component)
            try append(component, to: &out, tag: segment.tag, element: 0)
        }
        for (index, element) in segment.elements.enumerated() {
            out.append(characters.element)
            for (repeatIndex, components) in ([element.components] + element.repetitions).enumerated() {
                if repeatIndex > 0 {
                    guard let repetition = characters.repetition else {
                        throw EDIFACTWriteError(tag: segment.tag, element: index + 1, message: "the element repeats, but no repetition separator is set")
                    }
                    out.append(repetition)
                }
                for (componentIndex, component) in components.enumerated() {
                    if componentIndex > 0 { out.append(characters.component) }
                    try append(component, to: &out, tag: segment.tag, element: index + 1)
                }
            }
        }
        out.append(characters.terminator)
        if lineBreaks && characters.terminator != 0x0A { out.append(0x0A) }
        return out
    }

    private func append(_ value: String, to out: inout [UInt8], tag: String, element: Int) throws(EDIFACTWriteError) {
        for scalar in value.unicodeScalars {
            let encoded: [UInt8]
            if let reverse {
                guard let byte = reverse[scalar] else {
                    throw EDIFACTWriteError(tag: tag, element: element,
                                            message: "\"\(scalar)\" cannot be written in \(charset.syntaxIdentifier)")
                }
                if charset == .levelA, !charset.allows(byte) {
                    throw EDIFACTWriteError(tag: tag, element: element,
                                            message: "\"\(scalar)\" is not in UNOA's repertoire (upper case only)")
                }
                encoded = [byte]
            } else {
                encoded = Array(String(scalar).utf8)
            }
            for byte in encoded {
                if characters.isService(byte) {
                    guard let release = characters.release else {
                        throw EDIFACTWriteError(tag: tag, element: element,
                                                message: "the value holds the service character \(ServiceCharacters.describe([byte])) and no release character is set")
                    }
                    out.append(release)
                }
                out.append(byte)
            }
        }
    }
}

/// A segment that cannot be written: which, and why.
public struct EDIFACTWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    public var tag: String
    public var element: Int
    public var message: String

    public var description: String { "\(tag) element \(element): \(message)" }
}
