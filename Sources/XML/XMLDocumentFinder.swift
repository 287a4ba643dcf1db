import Foundation

/// Finds the XML documents in a file that holds several one after another, as SOAP dump tools
/// write them (each envelope with or without its own `<?xml …?>` declaration), or wrapped in a
/// MIME multipart message (SOAP with attachments, MTOM/XOP): the parts whose content type is
/// XML are the documents, the other parts (attachments) are passed over.
///
/// The scan knows just enough XML to find where each document element ends — tags with quoted
/// attributes, comments, CDATA sections, processing instructions, declarations — and no more:
/// what is inside each document, including whether it is well-formed, is for libxml2 to judge.
public enum XMLDocumentFinder {
    /// One document: its bytes in the file and the line it starts on.
    public struct Document: Sendable, Equatable {
        public var range: Range<Int64>
        public var firstLine: Int
    }

    /// The documents in the file (or in `range` of it), in order.
    /// - Throws: when text other than white space or a comment stands between documents, naming
    ///   its line; or when the file cannot be read.
    public static func documents(in path: String, range: Range<Int64>? = nil, firstLine: Int = 1) throws(XMLError) -> [Document] {
        var stream = try ByteStream(path: path, range: range, firstLine: firstLine)
        defer { stream.close() }
        var scanner = Scanner()
        var documents: [Document] = []
        var opening: (offset: Int64, line: Int)?
        while true {
            let offset = stream.offset
            let line = stream.line
            guard let byte = try stream.next() else { break }
            switch scanner.feed(byte) {
            case .none:
                break
            case .mayStart:
                opening = (offset, line)
            case .started:
                let start = opening ?? (offset, line)
                documents.append(Document(range: start.offset..<start.offset, firstLine: start.line))
            case .ended:
                documents[documents.count - 1].range = documents[documents.count - 1].range.lowerBound..<(offset + 1)
            case .mimeBoundary:
                guard documents.isEmpty else { throw XMLError("text outside any XML document", issues: [XMLIssue(line: line, path: nil, message: "text outside any XML document")]) }
                return try MIMEParts.xmlDocuments(in: path, range: range, firstLine: firstLine)
            case .junk:
                throw XMLError("text outside any XML document", issues: [XMLIssue(line: line, path: nil, message: "text outside any XML document (\(Self.describe(byte)))")])
            }
        }
        // An unfinished last document runs to the end; libxml2 says what is missing.
        if scanner.inDocument, !documents.isEmpty {
            documents[documents.count - 1].range = documents[documents.count - 1].range.lowerBound..<stream.offset
        }
        return documents
    }

    static func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "\"\(Character(UnicodeScalar(byte)))\"" : String(format: "byte 0x%02X", byte)
    }

    /// The byte-level state of the scan.
    struct Scanner {
        /// `mayStart`: a `<` outside a document, which starts one unless it opens a comment
        /// (comments between documents belong to none); `started` follows a little later.
        enum Signal { case none, mayStart, started, ended, mimeBoundary, junk }

        private enum State {
            case outside, lessThan, bang, bangDash, comment, cdataOpening(Int), cdata, instruction, declaration(brackets: Int, quote: UInt8?)
            case tag(closing: Bool, quote: UInt8?, last: UInt8)
        }

        private var state = State.outside
        private var depth = 0
        /// Inside a document (from its first `<` to the end of its document element).
        private(set) var inDocument = false
        /// Before the first byte that is not white space (a BOM counts as white space).
        private var atStart = true
        private var tail: (UInt8, UInt8) = (0, 0)
        /// A `<` outside a document was seen, and may open a comment.
        private var tentative = false

        mutating func feed(_ byte: UInt8) -> Signal {
            defer { tail = (tail.1, byte) }
            switch state {
            case .outside:
                if byte == UInt8(ascii: "<") {
                    state = .lessThan
                    atStart = false
                    if !inDocument {
                        tentative = true
                        return .mayStart
                    }
                    return .none
                }
                if Self.isSpace(byte) || (atStart && [0xEF, 0xBB, 0xBF].contains(byte)) || inDocument { return .none }
                if atStart, byte == UInt8(ascii: "-") { return .mimeBoundary }
                return .junk
            case .lessThan:
                if tentative, byte != UInt8(ascii: "!") {
                    tentative = false
                    inDocument = true
                    state = byte == UInt8(ascii: "?") ? .instruction : .tag(closing: byte == UInt8(ascii: "/"), quote: nil, last: byte)
                    return .started
                }
                switch byte {
                case UInt8(ascii: "!"): state = .bang
                case UInt8(ascii: "?"): state = .instruction
                case UInt8(ascii: "/"): state = .tag(closing: true, quote: nil, last: byte)
                default: state = .tag(closing: false, quote: nil, last: byte)
                }
            case .bang:
                if tentative {
                    tentative = false
                    if byte != UInt8(ascii: "-") {
                        inDocument = true
                        state = byte == UInt8(ascii: "[") ? .cdataOpening(1) : .declaration(brackets: 0, quote: nil)
                        return .started
                    }
                }
                state = byte == UInt8(ascii: "-") ? .bangDash : byte == UInt8(ascii: "[") ? .cdataOpening(1) : .declaration(brackets: 0, quote: nil)
            case .bangDash:
                state = .comment
            case .comment:
                if byte == UInt8(ascii: ">"), tail == (UInt8(ascii: "-"), UInt8(ascii: "-")) { return close() }
            case .cdataOpening(let count):
                // `[CDATA[` after `<!`: seven bytes, the first already seen.
                state = count >= 6 ? .cdata : .cdataOpening(count + 1)
            case .cdata:
                if byte == UInt8(ascii: ">"), tail == (UInt8(ascii: "]"), UInt8(ascii: "]")) { return close() }
            case .instruction:
                if byte == UInt8(ascii: ">"), tail.1 == UInt8(ascii: "?") { return close() }
            case .declaration(let brackets, let quote):
                if let quote {
                    if byte == quote { state = .declaration(brackets: brackets, quote: nil) }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    state = .declaration(brackets: brackets, quote: byte)
                } else if byte == UInt8(ascii: "[") {
                    state = .declaration(brackets: brackets + 1, quote: nil)
                } else if byte == UInt8(ascii: "]") {
                    state = .declaration(brackets: max(0, brackets - 1), quote: nil)
                } else if byte == UInt8(ascii: ">"), brackets == 0 {
                    return close()
                }
            case .tag(let closing, let quote, let last):
                if let quote {
                    state = .tag(closing: closing, quote: byte == quote ? nil : quote, last: byte)
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    state = .tag(closing: closing, quote: byte, last: byte)
                } else if byte == UInt8(ascii: ">") {
                    state = .outside
                    if closing {
                        depth -= 1
                    } else if last != UInt8(ascii: "/") {
                        depth += 1
                    }
                    if depth <= 0 {
                        depth = 0
                        inDocument = false
                        return .ended
                    }
                } else {
                    state = .tag(closing: closing, quote: nil, last: byte)
                }
            }
            return .none
        }

        /// The end of a comment, CDATA section, instruction or declaration.
        private mutating func close() -> Signal {
            state = .outside
            return .none
        }

        static func isSpace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        }
    }
}
