import CLibXML2

/// Writes an XML document into memory through libxml2's `xmlTextWriter`: elements, attributes
/// and text, escaped by libxml2, indented, in the declared encoding (characters the encoding
/// lacks become character references). One writer makes one document; use it from one task.
public final class XMLWriter {
    private let buffer: xmlBufferPtr
    private var writer: xmlTextWriterPtr?
    private var open: [String] = []

    /// - Parameter encoding: the declared and written encoding: `UTF-8`, `ISO-8859-1`,
    ///   `windows-1252`, … (any libxml2 knows).
    public init(encoding: String = "UTF-8", indent: Bool = true) throws(XMLError) {
        guard let buffer = xmlBufferCreate() else { throw XMLError("libxml2 cannot allocate a buffer") }
        self.buffer = buffer
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw XMLError("libxml2 cannot create a writer")
        }
        self.writer = writer
        if indent {
            xmlTextWriterSetIndent(writer, 1)
            xmlTextWriterSetIndentString(writer, "  ")
        }
        guard xmlTextWriterStartDocument(writer, "1.0", encoding, nil) >= 0 else {
            throw XMLError("libxml2 cannot write a document in encoding \(encoding)")
        }
    }

    deinit {
        if let writer { xmlFreeTextWriter(writer) }
        xmlBufferFree(buffer)
    }

    /// Whether `name` is a valid XML element or attribute name (`Auftrag`, `xs:element`).
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && xmlValidateQName(name, 0) == 0
    }

    /// Opens an element; `namespace` declares the default namespace on it.
    public func start(_ name: String, namespace: String? = nil) throws(XMLError) {
        try check(name: name)
        try call("element \(name)") { xmlTextWriterStartElementNS($0, nil, name, namespace) }
        open.append(name)
    }

    public func attribute(_ name: String, _ value: String) throws(XMLError) {
        try check(name: name)
        try check(text: value, in: "attribute \(name)")
        try call("attribute \(name)") { xmlTextWriterWriteAttribute($0, name, value) }
    }

    public func text(_ value: String) throws(XMLError) {
        try check(text: value, in: "element \(open.last ?? "")")
        try call("text") { xmlTextWriterWriteString($0, value) }
    }

    /// `<name>text</name>`.
    public func element(_ name: String, text value: String) throws(XMLError) {
        try start(name)
        try text(value)
        try end()
    }

    /// Closes the innermost open element.
    public func end() throws(XMLError) {
        guard let name = open.popLast() else { throw XMLError("no element is open") }
        try call("end of \(name)") { xmlTextWriterEndElement($0) }
    }

    /// Closes what is open and answers the document's bytes.
    public func finish() throws(XMLError) -> [UInt8] {
        try call("end of the document") { xmlTextWriterEndDocument($0) }
        open.removeAll()
        if let writer { xmlFreeTextWriter(writer) }  // flushes into the buffer
        writer = nil
        guard let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: Int(xmlBufferLength(buffer))))
    }

    private func call(_ what: String, _ body: (xmlTextWriterPtr) -> Int32) throws(XMLError) {
        guard let writer else { throw XMLError("the document is finished") }
        guard body(writer) >= 0 else { throw XMLError("libxml2 cannot write the \(what)") }
    }

    private func check(name: String) throws(XMLError) {
        guard Self.isValidName(name) else { throw XMLError("\"\(name)\" is not a valid XML name") }
    }

    /// XML 1.0 has no place for most control characters, not even as references.
    private func check(text: String, in place: String) throws(XMLError) {
        for scalar in text.unicodeScalars where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
            throw XMLError("\(place): the control character U+\(String(scalar.value, radix: 16, uppercase: true)) cannot be written in XML")
        }
    }
}
