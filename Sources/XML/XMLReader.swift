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
    /// An element as it starts: its local name, namespace, attributes, line. Its path is the
    /// reader's `path` while the element is the current one.
    public struct Element: Sendable {
        public var name: String
        public var namespace: String?
        /// Attributes by qualified name (namespace declarations left out).
        public var attributes: [(name: String, value: String)]
        public var isEmpty: Bool
        public var line: Int
    }

    public enum Event: Sendable {
        case start(Element)
        case text(String)
        /// The element's local name.
        case end(String)
    }

    /// Where the document comes from, to read it a second time without a schema when libxml2
    /// stops (see `read()`).
    private enum Source {
        case file(String)
        case part(String, Range<Int64>, firstLine: Int)
    }

    /// An open element. Its path is built only when someone asks for it (a record's start, a
    /// problem placed inside it): most elements are leaves nobody asks about.
    private struct Frame {
        var name: String
        var index: Int
        var path: String?
        /// How many children of each name it has had so far, by interned name.
        var children: [(name: Int, count: Int)] = []
    }

    /// An element started recently, to place validation problems libxml2 reports a little
    /// later (it validates ahead of the events).
    private struct Recent {
        var line: Int
        var name: String
        var step: String
        /// The parent's path.
        var parent: String
        var path: String { parent + "/" + step }
    }

    private let reader: xmlTextReaderPtr
    private let source: Source
    /// Kept alive as long as the reader validates against it.
    private let schema: XMLSchema?
    /// Lines before the document in its file (a document cut from a larger file).
    private let lineOffset: Int
    private let collector = IssueCollector(limit: 1000)
    private var frames: [Frame] = []
    private var pendingEnd: String?
    /// Names met so far, by libxml2's interned pointer: a name is made a Swift string once.
    private var names: [(pointer: UnsafePointer<xmlChar>, name: String, id: Int)] = []
    private var nameIDs: [String: Int] = [:]
    private var namespaces: [(pointer: UnsafePointer<xmlChar>, uri: String)] = []
    /// A ring of the last 64 element starts (only while validating).
    private var recent: [Recent] = []
    private var recentNext = 0
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
        try self.init(reader: reader, source: .file(path), schema: schema, lineOffset: 0)
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
        try self.init(reader: reader, source: .part(path, range, firstLine: firstLine), schema: schema, lineOffset: firstLine - 1)
    }

    private init(reader: xmlTextReaderPtr, source: Source, schema: XMLSchema?, lineOffset: Int) throws(XMLError) {
        self.reader = reader
        self.source = source
        self.schema = schema
        self.lineOffset = lineOffset
        validates = schema != nil
        xmlTextReaderSetStructuredErrorHandler(reader, IssueCollector.handler, Unmanaged.passUnretained(collector).toOpaque())
        if let schema, xmlTextReaderSetSchema(reader, schema.schema) != 0 {
            xmlFreeTextReader(reader)
            throw XMLError("libxml2 cannot validate against \(schema.path)")
        }
    }

    deinit {
        xmlFreeTextReader(reader)
    }

    /// The path of the element the reader is in (`/Artikelexport/Artikel[1234]/EAN`): after a
    /// start, the element that started.
    public var path: String { frames.isEmpty ? "/" : path(ofFrame: frames.count - 1) }

    private func path(ofFrame index: Int) -> String {
        if let path = frames[index].path { return path }
        let parent = index == 0 ? "" : path(ofFrame: index - 1)
        let path = parent + "/" + Self.step(frames[index].name, frames[index].index)
        frames[index].path = path
        return path
    }

    private static func step(_ name: String, _ index: Int) -> String {
        index > 1 ? "\(name)[\(index)]" : name
    }

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
            let status = xmlTextReaderRead(reader)
            let fatal = collector.isEmpty ? [] : takeIssues()
            if status < 0 || !fatal.isEmpty {
                let here = path
                var found = fatal
                if found.isEmpty, validates { found = wellFormednessIssues() }
                let issues = found.isEmpty ? [XMLIssue(line: line, path: here, message: "libxml2 stopped reading")] : found.map { issue in
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
            switch xmlTextReaderNodeType(reader) {
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

    /// Why libxml2 stopped, when it stopped while validating. With a schema, libxml2 (2.9.14)
    /// plugs its validator into the parser's SAX handler, and the plugged handler drops
    /// well-formedness and limit errors instead of passing them to the reader's handler
    /// (`errorSplit` is a TODO there): the read just fails. So the same document is read once
    /// more without the schema, up to where it breaks, and that read's errors are the answer.
    /// (Catching them through the thread's own handler around every read costs a tenth of
    /// the reading time; a broken document is rare.)
    private func wellFormednessIssues() -> [XMLIssue] {
        let plain: XMLReader
        do {
            switch source {
            case .file(let path): plain = try XMLReader(path: path)
            case .part(let path, let range, let firstLine): plain = try XMLReader(path: path, range: range, firstLine: firstLine)
            }
            while try plain.next() != nil {}
        } catch {
            return error.issues
        }
        return []
    }

    /// Whether the whole document was valid (call after the last event).
    public var isValid: Bool {
        !validates || (xmlTextReaderIsValid(reader) == 1 && issues.isEmpty)
    }

    private func startElement() -> Element {
        let (name, key) = internedName(xmlTextReaderConstLocalName(reader))
        let namespace = internedNamespace(xmlTextReaderConstNamespaceUri(reader))
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
            let parent = frames.count - 1
            if let slot = frames[parent].children.firstIndex(where: { $0.name == key }) {
                frames[parent].children[slot].count += 1
                index = frames[parent].children[slot].count
            } else {
                if frames[parent].children.isEmpty { frames[parent].children.reserveCapacity(16) }
                frames[parent].children.append((key, 1))
            }
        }
        let nodeLine = xmlTextReaderCurrentNode(reader).map { Int(xmlGetLineNo($0)) + lineOffset } ?? line
        if validates {
            let entry = Recent(line: nodeLine, name: name, step: Self.step(name, index), parent: frames.isEmpty ? "" : path(ofFrame: frames.count - 1))
            if recent.count < 64 { recent.append(entry) } else { recent[recentNext] = entry }
            recentNext = (recentNext + 1) % 64
        }
        frames.append(Frame(name: name, index: index))
        placeWaiting(atEnd: false)
        if isEmpty { pendingEnd = name }
        return Element(name: name, namespace: namespace, attributes: attributes, isEmpty: isEmpty, line: nodeLine)
    }

    /// The name at libxml2's pointer as a Swift string, and a number for it. The reader's names
    /// are interned in its dictionary, so a pointer met before is the same name (checked byte
    /// for byte all the same, which costs little for a name); the first 256 are remembered so.
    private func internedName(_ pointer: UnsafePointer<xmlChar>?) -> (String, Int) {
        guard let pointer else { return ("", -1) }
        for entry in names where entry.pointer == pointer && Self.same(entry.name, pointer) { return (entry.name, entry.id) }
        let name = String(cString: pointer)
        let id = nameIDs[name] ?? nameIDs.count
        nameIDs[name] = id
        if names.count < 256 { names.append((pointer, name, id)) }
        return (name, id)
    }

    private func internedNamespace(_ pointer: UnsafePointer<xmlChar>?) -> String? {
        guard let pointer else { return nil }
        for entry in namespaces where entry.pointer == pointer && Self.same(entry.uri, pointer) { return entry.uri }
        let uri = String(cString: pointer)
        if namespaces.count < 64 { namespaces.append((pointer, uri)) }
        return uri
    }

    private static func same(_ name: String, _ pointer: UnsafePointer<xmlChar>) -> Bool {
        var name = name
        return name.withUTF8 { bytes in
            guard strncmp(UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self), UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self), bytes.count) == 0 else { return false }
            return pointer[bytes.count] == 0
        }
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
                if let met = recentStart(named: name, line: line) {
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
            if let met = recentStart(named: item.name, line: item.line) {
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

    /// The newest recent start of an element with this name on this line.
    private func recentStart(named name: String, line: Int) -> Recent? {
        // Newest first: the ring's slot before `recentNext`, and so on back (before the ring
        // is full, its slots are simply 0..<count).
        for age in stride(from: 1, through: recent.count, by: 1) {
            let entry = recent[(recentNext - age + 64) % 64]
            if entry.name == name && entry.line == line { return entry }
        }
        return nil
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
