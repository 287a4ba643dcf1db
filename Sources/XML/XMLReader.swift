import CLibXML2
import Foundation

/// Reads an XML file as a stream of events through libxml2's `xmlTextReader`, in flat memory
/// whatever the file's size, optionally validating against an XSD as it reads.
///
/// Hostile input is refused, not survived: only `XML_PARSE_NONET` is passed (no entity
/// expansion, no DTD loading, no XInclude, libxml2's default limits on depth, text and
/// attribute sizes), and any `DOCTYPE` stops the read — so entity bombs, external entities and
/// silently dropped entity text cannot happen. Errors come from this reader's own structured
/// error handler. Use a reader from one task at a time.
public final class XMLReader {
    /// An element as it starts: its local name, namespace, attributes, where it is.
    public struct Element: Sendable {
        public var name: String
        public var namespace: String?
        /// Attributes by qualified name (namespace declarations left out).
        public var attributes: [(name: String, value: String)]
        public var isEmpty: Bool
        public var line: Int
        public var path: String
    }

    public enum Event: Sendable {
        case start(Element)
        case text(String)
        /// The element's local name.
        case end(String)
    }

    private struct Frame {
        var name: String
        var step: String
        var children: [String: Int] = [:]
    }

    private let reader: xmlTextReaderPtr
    /// Kept alive as long as the reader validates against it.
    private let schema: XMLSchema?
    /// Lines before the document in its file (a document cut from a larger file).
    private let lineOffset: Int
    private let collector = IssueCollector(limit: 1000)
    private var frames: [Frame] = []
    private var pendingEnd: String?
    /// The last element starts, to place validation problems libxml2 reports a little later.
    private var recent: [(line: Int, name: String, path: String)] = []
    private var waiting: [(issue: XMLIssue, name: String, line: Int)] = []
    /// Validation problems found so far (with the element path where the reader was), and how
    /// many more were counted but not kept.
    public private(set) var issues: [XMLIssue] = []
    public private(set) var dropped = 0
    public let validates: Bool

    /// - Parameter schema: validate while reading; the problems collect in `issues`.
    public convenience init(path: String, schema: XMLSchema? = nil) throws(XMLError) {
        let options = Int32(XML_PARSE_NONET.rawValue)
        guard let reader = xmlReaderForFile(path, nil, options) else { throw XMLError("cannot open \(path) for reading") }
        try self.init(reader: reader, path: path, schema: schema, lineOffset: 0)
    }

    /// Reads one document that sits in a part of a file (an envelope among several in a SOAP
    /// dump, the XML part of a MIME message). Lines are counted from the file's start.
    /// - Parameters:
    ///   - range: the document's bytes in the file.
    ///   - firstLine: the file's line on which the range starts (1-based).
    public convenience init(path: String, range: Range<Int64>, firstLine: Int, schema: XMLSchema? = nil) throws(XMLError) {
        let part = try FilePart(path: path, range: range)
        let options = Int32(XML_PARSE_NONET.rawValue)
        // libxml2 calls `close` in every case, also when it cannot make the reader.
        let context = Unmanaged.passRetained(part).toOpaque()
        guard let reader = xmlReaderForIO(FilePart.read, FilePart.release, context, path, nil, options) else {
            throw XMLError("cannot read \(path) from byte \(range.lowerBound)")
        }
        try self.init(reader: reader, path: path, schema: schema, lineOffset: firstLine - 1)
    }

    private init(reader: xmlTextReaderPtr, path: String, schema: XMLSchema?, lineOffset: Int) throws(XMLError) {
        self.reader = reader
        self.schema = schema
        self.lineOffset = lineOffset
        validates = schema != nil
        xmlTextReaderSetStructuredErrorHandler(reader, IssueCollector.handler, Unmanaged.passUnretained(collector).toOpaque())
        if let schema, xmlTextReaderSetSchema(reader, schema.schema) != 0 {
            xmlFreeTextReader(reader)
            throw XMLError("libxml2 cannot validate \(path) against \(schema.path)")
        }
    }

    deinit {
        xmlFreeTextReader(reader)
    }

    /// The path of the element the reader is in (`/Artikelexport/Artikel[1234]/EAN`).
    public var path: String { frames.isEmpty ? "/" : "/" + frames.map(\.step).joined(separator: "/") }

    public var line: Int { Int(xmlTextReaderGetParserLineNumber(reader)) + lineOffset }

    /// Bytes of the file consumed so far.
    public var bytesRead: Int { Int(xmlTextReaderByteConsumed(reader)) }

    /// The next event, or nil at the end of the document. Throws when the document is not
    /// well-formed, breaks a limit, or has a DOCTYPE (with libxml2's message and line).
    public func next() throws(XMLError) -> Event? {
        if let name = pendingEnd {
            pendingEnd = nil
            frames.removeLast()
            return .end(name)
        }
        while true {
            let status = read()
            let type = xmlTextReaderNodeType(reader)
            let fatal = takeIssues()
            if status < 0 || !fatal.isEmpty {
                let here = path
                let issues = fatal.isEmpty ? [XMLIssue(line: line, path: here, message: "libxml2 stopped reading")] : fatal.map { issue in
                    var issue = issue
                    if issue.path == nil { issue.path = here }
                    return issue
                }
                throw XMLError("not well-formed XML", issues: issues)
            }
            guard status == 1 else {
                placeWaiting(atEnd: true)
                return nil
            }
            switch type {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                return .start(startElement())
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                let name = frames.last?.name ?? ""
                frames.removeLast()
                return .end(name)
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue), Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
                return .text(Self.string(xmlTextReaderConstValue(reader)) ?? "")
            case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue):
                throw XMLError("a DOCTYPE is not allowed", issues: [XMLIssue(line: line, path: nil, message: "a DOCTYPE is not allowed (Hafen reads no DTDs or entities)")])
            case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
                throw XMLError("an entity reference is not allowed", issues: [XMLIssue(line: line, path: path, message: "an entity reference is not allowed")])
            default:
                continue
            }
        }
    }

    /// One step of libxml2's reader. With a schema, libxml2 (2.9.14) plugs its validator into
    /// the parser's SAX handler, and the plugged handler drops well-formedness errors instead of
    /// passing them to the reader's handler (`errorSplit` is a TODO there); they then reach only
    /// the calling thread's structured handler. So that handler points at this reader's
    /// collector for exactly the duration of the call (it is thread-local in libxml2, and the
    /// call does not suspend), and is cleared after.
    private func read() -> Int32 {
        guard validates else { return xmlTextReaderRead(reader) }
        let data = Unmanaged.passUnretained(collector).toOpaque()
        xmlSetStructuredErrorFunc(data, IssueCollector.handler)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        return xmlTextReaderRead(reader)
    }

    /// Whether the whole document was valid (call after the last event).
    public var isValid: Bool {
        !validates || (xmlTextReaderIsValid(reader) == 1 && issues.isEmpty)
    }

    private func startElement() -> Element {
        let name = Self.string(xmlTextReaderConstLocalName(reader)) ?? ""
        let namespace = Self.string(xmlTextReaderConstNamespaceUri(reader))
        let isEmpty = xmlTextReaderIsEmptyElement(reader) == 1
        var attributes: [(name: String, value: String)] = []
        if xmlTextReaderHasAttributes(reader) == 1 {
            while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                guard xmlTextReaderIsNamespaceDecl(reader) != 1 else { continue }
                attributes.append((Self.string(xmlTextReaderConstName(reader)) ?? "", Self.string(xmlTextReaderConstValue(reader)) ?? ""))
            }
            xmlTextReaderMoveToElement(reader)
        }
        var index = 1
        if !frames.isEmpty {
            index = (frames[frames.count - 1].children[name] ?? 0) + 1
            frames[frames.count - 1].children[name] = index
        }
        frames.append(Frame(name: name, step: index > 1 ? "\(name)[\(index)]" : name))
        let nodeLine = xmlTextReaderCurrentNode(reader).map { Int(xmlGetLineNo($0)) + lineOffset } ?? line
        let element = Element(name: name, namespace: namespace, attributes: attributes, isEmpty: isEmpty, line: nodeLine, path: path)
        if recent.count == 64 { recent.removeFirst() }
        recent.append((element.line, name, element.path))
        placeWaiting(atEnd: false)
        if isEmpty { pendingEnd = name }
        return element
    }

    /// Moves validation problems libxml2 reported during the last read into `issues`, placed at
    /// their element, and answers the fatal ones. libxml2 validates as it parses, ahead of the
    /// events: a problem naming an element not yet met waits for it (or for the end).
    private func takeIssues() -> [XMLIssue] {
        var fatal: [XMLIssue] = []
        for var entry in collector.drain() {
            entry.issue.line = entry.issue.line.map { $0 + lineOffset }
            if entry.fatal {
                fatal.append(entry.issue)
            } else if let name = entry.element ?? Self.elementNamed(in: entry.issue.message), let line = entry.issue.line {
                if let met = recent.last(where: { $0.name == name && $0.line == line }) {
                    place(entry.issue, at: met.path)
                } else {
                    waiting.append((entry.issue, name, line))
                }
            } else {
                place(entry.issue, at: path)
            }
        }
        return fatal
    }

    /// Places waiting problems whose element has now started (or all of them at the end).
    private func placeWaiting(atEnd: Bool) {
        guard !waiting.isEmpty else { return }
        waiting.removeAll { item in
            if let met = recent.last(where: { $0.name == item.name && $0.line == item.line }) {
                place(item.issue, at: met.path)
                return true
            }
            if atEnd || line > item.line + 1000 {
                place(item.issue, at: nil)
                return true
            }
            return false
        }
    }

    private func place(_ issue: XMLIssue, at path: String?) {
        var issue = issue
        issue.path = path
        if issues.count < 1000 { issues.append(issue) } else { dropped += 1 }
    }

    /// The local name in a validation message, `Element '{urn:x}EAN': …` → `EAN` (in a stream
    /// libxml2 validates by SAX and names no node).
    static func elementNamed(in message: String) -> String? {
        guard message.hasPrefix("Element '"), let end = message.dropFirst(9).firstIndex(of: "'") else { return nil }
        var name = message[message.index(message.startIndex, offsetBy: 9)..<end]
        if let brace = name.firstIndex(of: "}") { name = name[name.index(after: brace)...] }
        if let colon = name.lastIndex(of: ":") { name = name[name.index(after: colon)...] }
        return name.isEmpty ? nil : String(name)
    }

    static func string(_ pointer: UnsafePointer<xmlChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
