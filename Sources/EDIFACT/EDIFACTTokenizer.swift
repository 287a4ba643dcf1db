public import Formats

/// Cuts a stream of bytes into EDIFACT segments, one at a time, in bounded memory.
///
/// It honours UNA (and the defaults without it: `:+.? '`, level B's information separators, or
/// a line feed as terminator where the first line has no `'`), the release character, segment
/// terminators with or without CR/LF after them, a UTF-8 byte-order mark or white space before
/// the first segment, and several interchanges in one file (each may bring its own UNA). It
/// knows nothing of envelopes: `EDIFACTInterchangeReader` checks those and sets `charset` once
/// it has read UNB's syntax identifier.
public struct EDIFACTTokenizer<Source: ByteSource> {
    /// The service characters in force (UNA's, or the defaults).
    public private(set) var characters: ServiceCharacters
    /// How values are decoded; the interchange reader sets it from UNB. Until then ISO 8859-1.
    public var charset: EDIFACTCharset = .iso8859(part: 1)
    /// Bytes consumed so far.
    public var bytesRead: Int { bufferOffset + start }
    /// Segments returned so far (UNA counts as one).
    public private(set) var segmentCount = 0

    private var source: Source
    private let limits: EDIFACTLimits
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var bufferOffset = 0
    private var exhausted = false
    private var line = 1
    private var atFileStart = true
    /// The characters an interchange without UNA uses (decided at the file's start).
    private var fileDefaults = ServiceCharacters.standard
    /// After UNZ the next interchange starts over with the defaults, unless it has a UNA.
    private var interchangeEnded = false

    // Reused while a segment is read.
    private var value: [UInt8] = []
    private var components: [String] = []
    private var repetitions: [[String]] = []
    private var elements: [EDIFACTElement] = []

    public init(source: Source, limits: EDIFACTLimits = EDIFACTLimits(), bufferSize: Int = 65_536) {
        self.source = source
        self.limits = limits
        self.buffer = [UInt8](repeating: 0, count: max(16, bufferSize))
        self.characters = .standard
        value.reserveCapacity(256)
    }

    /// The next segment, or nil at the end of the input.
    public mutating func next() throws -> EDIFACTSegment? {
        if atFileStart { try readFileStart() }
        try skipWhiteSpace()
        guard try fill(1) else { return nil }
        let position = SegmentPosition(segment: segmentCount + 1, line: line, byteOffset: bytesRead)
        if try startsWithUNA() { return try readUNA(at: position) }
        if interchangeEnded {
            characters = fileDefaults
            interchangeEnded = false
        }
        var segment = try readSegment(at: position)
        segmentCount += 1
        if segment.tag == "UNZ" { interchangeEnded = true }
        if segment.tag == "UNB" { segment.strayCharacter = nil }
        return segment
    }

    // MARK: - The start of a file and of an interchange

    private mutating func readFileStart() throws {
        atFileStart = false
        if try fill(3), buffer[start] == 0xEF, buffer[start + 1] == 0xBB, buffer[start + 2] == 0xBF { start += 3 }
        try skipWhiteSpace()
        if try startsWithUNA() { return }
        // Without UNA: level B's separators follow "UNB" directly; a first line without any
        // terminator means every segment ends with the line.
        _ = try fill(4096)
        let window = buffer[start..<end]
        if window.starts(with: Array("UNB".utf8)), window.count > 3, window[start + 3] == ServiceCharacters.levelB.element {
            fileDefaults = .levelB
        } else if let lineEnd = window.firstIndex(of: UInt8(ascii: "\n")), !window[start..<lineEnd].contains(UInt8(ascii: "'")) {
            fileDefaults = .lineEnded
        }
        characters = fileDefaults
    }

    private mutating func startsWithUNA() throws -> Bool {
        guard try fill(3) else { return false }
        return buffer[start] == UInt8(ascii: "U") && buffer[start + 1] == UInt8(ascii: "N") && buffer[start + 2] == UInt8(ascii: "A")
    }

    private mutating func readUNA(at position: SegmentPosition) throws -> EDIFACTSegment {
        guard try fill(9) else {
            throw EDIFACTSyntaxError("the file ends inside UNA, which needs six service characters", at: position, code: 12)
        }
        let six = Array(buffer[start + 3..<start + 9])
        switch ServiceCharacters.fromUNA(six) {
        case .failure(let problem): throw EDIFACTSyntaxError(problem.message, at: position, code: 20)
        case .success(let announced): characters = announced
        }
        for byte in buffer[start..<start + 9] where byte == UInt8(ascii: "\n") { line += 1 }
        start += 9
        interchangeEnded = false
        segmentCount += 1
        return EDIFACTSegment(tag: "UNA", elements: [EDIFACTElement([String(decoding: six, as: UTF8.self)])], position: position)
    }

    // MARK: - One segment

    private mutating func readSegment(at position: SegmentPosition) throws -> EDIFACTSegment {
        let service = characters
        let release = service.release ?? 0xFF
        let repetition = service.repetition ?? 0xFF
        let checksRepertoire = charset == .levelA || charset == .levelB
        let lineEnded = service.terminator == UInt8(ascii: "\n")
        var length = 0
        var highBits: UInt8 = 0
        var stray: StrayCharacter?
        value.removeAll(keepingCapacity: true)
        components.removeAll(keepingCapacity: true)
        repetitions.removeAll(keepingCapacity: true)
        elements.removeAll(keepingCapacity: true)
        var tagElement: EDIFACTElement?

        while true {
            if start == end, try !fill(1) {
                if lineEnded || (value.isEmpty && components.isEmpty && elements.isEmpty && tagElement == nil) { break }
                let tag = tagElement?.components.first ?? String(decoding: value.prefix(3), as: UTF8.self)
                throw EDIFACTSyntaxError(
                    "the file ends inside segment \(tag): its terminator \(ServiceCharacters.describe([service.terminator])) is missing",
                    at: position, code: 13)
            }
            let byte = buffer[start]
            start += 1
            length += 1
            if length > limits.maximumSegmentBytes {
                throw EDIFACTSyntaxError(
                    "the segment is longer than \(limits.maximumSegmentBytes) bytes (a missing terminator?)", at: position, code: 39)
            }
            if byte == UInt8(ascii: "\n") { line += 1 }
            if byte == service.terminator {
                break
            } else if byte == service.element {
                try finishValue(highBits: highBits, at: position)
                try finishElement(&tagElement, at: position)
                highBits = 0
            } else if byte == service.component {
                try finishValue(highBits: highBits, at: position)
                highBits = 0
                if components.count >= limits.maximumComponents {
                    throw EDIFACTSyntaxError(
                        "an element has more than \(limits.maximumComponents) components", at: position,
                        element: elements.count + (tagElement == nil ? 0 : 1), code: 16)
                }
            } else if byte == repetition {
                try finishValue(highBits: highBits, at: position)
                highBits = 0
                repetitions.append(components)
                components.removeAll(keepingCapacity: true)
                if repetitions.count >= limits.maximumRepetitions {
                    throw EDIFACTSyntaxError("an element repeats more than \(limits.maximumRepetitions) times", at: position, code: 35)
                }
            } else if byte == release {
                if start == end, try !fill(1) {
                    throw EDIFACTSyntaxError("the file ends with a release character, which must be followed by the character it releases",
                                             at: position, code: 22)
                }
                let released = buffer[start]
                start += 1
                length += 1
                if released == UInt8(ascii: "\n") { line += 1 }
                highBits |= released
                value.append(released)
                if checksRepertoire, stray == nil, !charset.allows(released) {
                    stray = strayAt(released, tagElement: tagElement)
                }
            } else {
                if byte == 0 {
                    throw EDIFACTSyntaxError("a NUL byte (0x00) inside a segment: the file holds binary data", at: position,
                                             element: max(1, elements.count), code: 21)
                }
                highBits |= byte
                value.append(byte)
                if checksRepertoire, stray == nil, !charset.allows(byte) {
                    stray = strayAt(byte, tagElement: tagElement)
                }
            }
        }
        if lineEnded, value.last == UInt8(ascii: "\r") { value.removeLast() }
        try finishValue(highBits: highBits, at: position)
        try finishElement(&tagElement, at: position)
        guard let tagElement, let tag = tagElement.components.first else {
            throw EDIFACTSyntaxError("a segment without a tag", at: position, code: 12)
        }
        guard Self.isTag(tag) else {
            let shown = tag.count > 12 ? String(tag.prefix(12)) + "…" : tag
            throw EDIFACTSyntaxError(
                "\"\(shown)\" is not a segment tag (three upper-case letters or digits): is the file EDIFACT, with these separators?",
                at: position, element: 0, code: 12)
        }
        var segment = EDIFACTSegment(tag: tag, elements: elements, position: position, tagComponents: Array(tagElement.components.dropFirst()))
        segment.strayCharacter = stray
        return segment
    }

    private func strayAt(_ byte: UInt8, tagElement: EDIFACTElement?) -> StrayCharacter {
        let scalar = charset.byteTable?[Int(byte)] ?? Unicode.Scalar(byte)
        return StrayCharacter(element: elements.count + (tagElement == nil ? 0 : 1), component: components.count + 1,
                              character: String(Character(scalar)))
    }

    /// A tag is three upper-case letters or digits (`UNH`, `LIN`, `C10` never: it starts with a letter).
    private static func isTag(_ tag: String) -> Bool {
        let bytes = tag.utf8
        guard bytes.count == 3, let first = bytes.first, first >= 0x41, first <= 0x5A else { return false }
        return bytes.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    private mutating func finishValue(highBits: UInt8, at position: SegmentPosition) throws {
        if highBits < 0x80 {
            components.append(String(decoding: value, as: UTF8.self))
        } else {
            components.append(try decode(at: position))
        }
        value.removeAll(keepingCapacity: true)
    }

    private mutating func finishElement(_ tagElement: inout EDIFACTElement?, at position: SegmentPosition) throws {
        let element = EDIFACTElement(repetitions.isEmpty ? components : repetitions[0],
                                     repetitions: repetitions.isEmpty ? [] : Array(repetitions.dropFirst()) + [components])
        components.removeAll(keepingCapacity: true)
        repetitions.removeAll(keepingCapacity: true)
        if tagElement == nil {
            tagElement = element
            return
        }
        if elements.count >= limits.maximumElements {
            throw EDIFACTSyntaxError("the segment has more than \(limits.maximumElements) data elements", at: position, code: 16)
        }
        elements.append(element)
    }

    /// A value with bytes above 0x7F, in the interchange's charset.
    private func decode(at position: SegmentPosition) throws -> String {
        let element = elements.count + 1
        let component = components.count + 1
        if let table = charset.byteTable {
            var scalars = String.UnicodeScalarView()
            for byte in value {
                guard let scalar = table[Int(byte)] else {
                    throw EDIFACTSyntaxError(
                        "byte \(ServiceCharacters.describe([byte])) is not a character of \(charset.syntaxIdentifier)",
                        at: position, element: element, component: component, code: 21)
                }
                scalars.append(scalar)
            }
            return String(scalars)
        }
        guard let text = String(validating: value, as: UTF8.self) else {
            throw EDIFACTSyntaxError(
                "bytes that are not valid UTF-8, although UNB announces \(charset.syntaxIdentifier)",
                at: position, element: element, component: component, code: 21)
        }
        return text
    }

    // MARK: - Bytes

    /// Skips CR, LF, spaces and tabs between segments.
    private mutating func skipWhiteSpace() throws {
        while true {
            if start == end, try !fill(1) { return }
            let byte = buffer[start]
            guard byte == 0x0A || byte == 0x0D || byte == 0x20 || byte == 0x09 else { return }
            if byte == 0x0A { line += 1 }
            start += 1
        }
    }

    /// Makes at least `count` bytes available from `start` (fewer only at the end); false when
    /// fewer than `count` remain.
    private mutating func fill(_ count: Int) throws -> Bool {
        if end - start >= count { return true }
        if exhausted { return false }
        if start > 0 {
            let remaining = end - start
            if remaining > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    raw.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: remaining)
                }
            }
            bufferOffset += start
            start = 0
            end = remaining
        }
        if buffer.count < count { buffer.append(contentsOf: [UInt8](repeating: 0, count: count - buffer.count)) }
        while end - start < count {
            let n = try buffer.withUnsafeMutableBytes { raw in
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[end...]))
            }
            if n == 0 {
                exhausted = true
                break
            }
            end += n
        }
        return end - start >= count
    }
}
