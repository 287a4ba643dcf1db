import Foundation

/// Reads the payloads of the SOAP envelopes in a dump file: SOAP 1.1 and 1.2, one envelope or
/// several one after another, or the XML part of a MIME message. The events it passes on are
/// those of each `Body`'s content (the payload), with element paths from the envelope
/// (`/Envelope/Body/ArtikelListe/Artikel[2]`, `/Envelope[2]/…` from the second envelope on);
/// headers are passed over. A `Fault` in a Body (also a `…Fault` element such as
/// `ServiceFault`) is not passed on but collected in `faults`.
///
/// With a schema (see `XMLSchema(soapPayload:)`) every envelope is validated while it streams.
public final class SOAPEnvelopeReader: XMLEventStream {
    public static let soap11 = "http://schemas.xmlsoap.org/soap/envelope/"
    public static let soap12 = "http://www.w3.org/2003/05/soap-envelope"

    private let file: String
    private let schema: XMLSchema?
    private var documents: ArraySlice<XMLDocumentFinder.Document>
    private var current: XMLReader?
    /// Depth within the current envelope (1 = in Envelope, 2 = in Body or Header, 3 = payload).
    private var depth = 0
    private var sawBody = false
    /// The envelopes' validation problems so far, renamed, without those inside a Fault; and
    /// how many of the current reader's are in it already.
    private var collected: [XMLIssue] = []
    private var takenFromCurrent = 0
    private var faultPaths: [String] = []
    public private(set) var faults: [SOAPFault] = []
    /// Envelopes begun so far.
    public private(set) var envelopes = 0

    public init(path: String, schema: XMLSchema? = nil) throws(XMLError) {
        file = path
        self.schema = schema
        documents = try XMLDocumentFinder.documents(in: path)[...]
        guard !documents.isEmpty else { throw XMLError("no SOAP envelope", issues: [XMLIssue(line: 1, path: nil, message: "the file holds no XML document")]) }
    }

    /// The path of the element the reader is in, from its envelope (`/Envelope[2]/Body/…`).
    public var path: String { current.map { renamed($0.path) } ?? "/" }

    public var issues: [XMLIssue] {
        takeIssues()
        return collected
    }

    /// Takes the current reader's new problems over. A Fault's path is registered as soon as
    /// the Fault starts, before any problem inside it can be placed, so each problem is
    /// judged once.
    private func takeIssues() {
        guard let current, current.issues.count > takenFromCurrent else { return }
        collected += current.issues[takenFromCurrent...].map(renamed).filter { !insideFault($0.path) }
        takenFromCurrent = current.issues.count
    }

    public func next() throws(XMLError) -> XMLReader.Event? {
        while true {
            guard let reader = try currentReader() else { return nil }
            guard let event = try reader.next() else {
                try finishEnvelope(reader)
                continue
            }
            switch event {
            case .start(let element):
                depth += 1
                if depth == 1 {
                    try checkEnvelope(element)
                } else if depth == 2 {
                    try enterPart(element, reader: reader)
                } else if depth == 3, element.name == "Fault" || element.name.hasSuffix("Fault") {
                    try readFault(element, reader: reader)
                } else {
                    return .start(element)
                }
            case .end(let name):
                depth -= 1
                if depth >= 2 { return .end(name) }
            case .text(let text):
                if depth >= 3 { return .text(text) }
                if depth < 2, !text.allSatisfy(\.isWhitespace) {
                    throw failure("text directly in the Envelope", line: reader.line, path: renamed(reader.path))
                }
            }
        }
    }

    // MARK: - Envelopes

    private func currentReader() throws(XMLError) -> XMLReader? {
        if let current { return current }
        guard let document = documents.popFirst() else { return nil }
        envelopes += 1
        depth = 0
        sawBody = false
        faultPaths = []
        let reader = try XMLReader(path: file, range: document.range, firstLine: document.firstLine, schema: schema)
        current = reader
        return reader
    }

    private func finishEnvelope(_ reader: XMLReader) throws(XMLError) {
        guard sawBody else { throw failure("the envelope has no Body", line: reader.line, path: envelopes > 1 ? "/Envelope[\(envelopes)]" : "/Envelope") }
        takeIssues()
        current = nil
        takenFromCurrent = 0
    }

    private func checkEnvelope(_ element: XMLReader.Element) throws(XMLError) {
        guard element.name == "Envelope", element.namespace == Self.soap11 || element.namespace == Self.soap12 else {
            let name = (element.namespace.map { "{\($0)}" } ?? "") + element.name
            throw failure("not a SOAP envelope: the document element is \(name), not Envelope in the SOAP 1.1 or 1.2 namespace", line: element.line, path: path)
        }
    }

    /// Header, passed over; Body, whose content follows; anything else is not SOAP.
    private func enterPart(_ element: XMLReader.Element, reader: XMLReader) throws(XMLError) {
        switch element.name {
        case "Header":
            try skipSubtree(reader)
        case "Body":
            sawBody = true
        default:
            throw failure("the envelope holds \(element.name) where Header or Body belongs", line: element.line, path: path)
        }
    }

    private func skipSubtree(_ reader: XMLReader) throws(XMLError) {
        // Every start is followed by its end, also for an empty element.
        var open = 1
        while open > 0, let event = try reader.next() {
            if case .start = event { open += 1 }
            if case .end = event { open -= 1 }
        }
        depth -= 1
    }

    // MARK: - Faults

    private func readFault(_ element: XMLReader.Element, reader: XMLReader) throws(XMLError) {
        let faultPath = path
        faultPaths.append(faultPath)
        var fault = SOAPFault(envelope: envelopes, code: "", reason: "", detail: "", line: element.line, path: faultPath)
        defer { faults.append(fault) }
        guard !element.isEmpty else { _ = try reader.next(); depth -= 1; return }
        var stack: [String] = []
        var codes: [String] = []
        var text = ""
        var detail: [String] = []
        while let event = try reader.next() {
            switch event {
            case .start(let child):
                stack.append(child.name)
                text = ""
                if child.isEmpty { _ = try reader.next(); stack.removeLast() }
            case .text(let piece):
                text += piece
                if stack.contains(where: { $0 == "detail" || $0 == "Detail" }) { detail.append(XMLWhitespace.trimmed(piece)) }
            case .end:
                guard let name = stack.popLast() else {
                    depth -= 1
                    fault.code = codes.joined(separator: " / ")
                    fault.detail = String(detail.filter { !$0.isEmpty }.joined(separator: " ").prefix(300))
                    return
                }
                let value = XMLWhitespace.trimmed(text)
                switch (name, stack.last) {
                case ("faultcode", _), ("Value", "Code"), ("Value", "Subcode"): if !value.isEmpty { codes.append(value) }
                case ("faultstring", _), ("Text", "Reason"): if fault.reason.isEmpty { fault.reason = value }
                default: break
                }
                text = ""
            }
        }
    }

    private func insideFault(_ path: String?) -> Bool {
        guard let path else { return false }
        return faultPaths.contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    // MARK: - Paths and errors

    /// `/Envelope/…` of the n-th envelope as `/Envelope[n]/…` (from the second on).
    private func renamed(_ path: String) -> String {
        guard envelopes > 1, path.hasPrefix("/Envelope") else { return path }
        return "/Envelope[\(envelopes)]" + path.dropFirst("/Envelope".count)
    }

    private func renamed(_ issue: XMLIssue) -> XMLIssue {
        var issue = issue
        issue.path = issue.path.map(renamed)
        return issue
    }

    private func failure(_ message: String, line: Int, path: String) -> XMLError {
        XMLError(message, issues: [XMLIssue(line: line, path: path, message: message)])
    }
}
