import EDIFACT
import Formats

/// The segments of `bytes`, read in chunks of at most `chunk` bytes through a small buffer.
func segments(of bytes: [UInt8], chunk: Int = .max, bufferSize: Int = 65_536) throws -> [EDIFACTSegment] {
    var tokenizer = EDIFACTTokenizer(source: MemorySource(bytes, chunkLimit: chunk), bufferSize: bufferSize)
    var found: [EDIFACTSegment] = []
    while let segment = try tokenizer.next() { found.append(segment) }
    return found
}

func segments(of text: String, chunk: Int = .max) throws -> [EDIFACTSegment] {
    try segments(of: Array(text.utf8), chunk: chunk)
}

/// Tags and values as text, for comparisons: `|` between elements, `:` between components,
/// `*` between repetitions.
func plain(_ segments: [EDIFACTSegment]) -> [String] {
    segments.filter { $0.tag != "UNA" }.map { segment in
        segment.tag + "|" + segment.elements.map { element in
            ([element.components] + element.repetitions).map { $0.joined(separator: ":") }.joined(separator: "*")
        }.joined(separator: "|")
    }
}

/// The segments of a file's bytes, each value decoded in the charset its UNB names (as the
/// interchange reader does).
func segmentsDecoded(_ bytes: [UInt8]) throws -> [EDIFACTSegment] {
    var tokenizer = EDIFACTTokenizer(source: MemorySource(bytes))
    var found: [EDIFACTSegment] = []
    while let segment = try tokenizer.next() {
        if segment.tag == "UNB" { tokenizer.charset = EDIFACTCharset(syntaxIdentifier: segment.value(1) ?? "") ?? .iso8859(part: 1) }
        found.append(segment)
    }
    return found
}

/// Reads every event of an interchange file; returns them with the reader's problems.
func read(_ bytes: [UInt8]) throws -> (events: [EDIFACTEvent], problems: [EDIFACTProblem]) {
    var reader = EDIFACTInterchangeReader(source: MemorySource(bytes))
    var events: [EDIFACTEvent] = []
    while let event = try reader.next() { events.append(event) }
    return (events, reader.problems)
}

func read(_ text: String) throws -> (events: [EDIFACTEvent], problems: [EDIFACTProblem]) {
    try read(Array(text.utf8))
}

/// A well-formed interchange around `body` (segments between UNH and UNT, `'`-terminated).
func interchange(_ body: [String], reference: String = "42", messageReference: String = "1") -> String {
    let message = ["UNH+\(messageReference)+INVRPT:D:96A:UN:EAN008"] + body + ["UNT+\(body.count + 2)+\(messageReference)"]
    return (["UNA:+.? '", "UNB+UNOC:3+4012345000009:14+4000000000001:14+261207:1015+\(reference)"] + message + ["UNZ+1+\(reference)"])
        .map { $0.hasPrefix("UNA") ? $0 : $0 + "'" }.joined(separator: "\n") + "\n"
}
