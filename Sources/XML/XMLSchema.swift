import CLibXML2
import Foundation

/// A compiled XSD, parsed once and reused. `xs:include` and `xs:import` may name files in the
/// schema's folder (or below); nothing is fetched over the network.
///
/// Thread safety: a compiled `xmlSchema` is not changed by validation, and every `validate`
/// makes its own validation context, so one `XMLSchema` may validate in several tasks at once.
public final class XMLSchema: @unchecked Sendable {
    let schema: xmlSchemaPtr
    /// The file it was compiled from.
    public let path: String

    /// Compiles the schema at `path`; local includes are allowed under `roots` (default: the
    /// schema's folder).
    /// - Parameter reportedAs: the name messages give the schema (default: `path`).
    public init(path: String, roots: [String]? = nil, reportedAs: String? = nil) throws(XMLError) {
        self.path = reportedAs ?? path
        guard FileManager.default.isReadableFile(atPath: path) else { throw XMLError("cannot read the schema \(path)") }
        let compiled = try SchemaFileLoader.compiling(under: roots ?? [(path as NSString).deletingLastPathComponent]) { () throws(XMLError) -> xmlSchemaPtr in
            guard let parser = xmlSchemaNewParserCtxt(path) else { throw XMLError("libxml2 cannot read the schema \(path)") }
            defer { xmlSchemaFreeParserCtxt(parser) }
            let collector = IssueCollector()
            let compiled = collector.withUserData { data -> xmlSchemaPtr? in
                xmlSchemaSetParserStructuredErrors(parser, IssueCollector.handler, data)
                return xmlSchemaParse(parser)
            }
            guard let compiled, collector.issues.isEmpty else {
                if let compiled { xmlSchemaFree(compiled) }
                throw XMLError("the schema \(path) does not compile", issues: collector.issues)
            }
            return compiled
        }
        schema = compiled
    }

    deinit {
        xmlSchemaFree(schema)
    }

    /// Checks a document in memory: that it is well-formed XML without a DOCTYPE (which Hafen
    /// never reads), and valid against the schema. Empty when it is.
    public func validate(_ bytes: [UInt8], name: String = "document") -> [XMLIssue] {
        guard let parser = xmlNewParserCtxt() else { return [XMLIssue(line: nil, path: nil, message: "libxml2 cannot allocate a parser")] }
        defer { xmlFreeParserCtxt(parser) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlCtxtReadMemory(parser, $0, Int32(buffer.count), name, nil, options)
            }
        }
        guard let document else {
            // The parser context's own last error, never the process-global one.
            let error = parser.pointee.lastError
            let message = error.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "not well-formed XML"
            return [XMLIssue(line: error.line > 0 ? Int(error.line) : nil, path: nil, message: message)]
        }
        defer { xmlFreeDoc(document) }
        if document.pointee.intSubset != nil {
            return [XMLIssue(line: nil, path: nil, message: "a DOCTYPE is not allowed")]
        }
        guard let validator = xmlSchemaNewValidCtxt(schema) else { return [XMLIssue(line: nil, path: nil, message: "libxml2 cannot validate")] }
        defer { xmlSchemaFreeValidCtxt(validator) }
        let collector = IssueCollector()
        let result = collector.withUserData { data -> Int32 in
            xmlSchemaSetValidStructuredErrors(validator, IssueCollector.handler, data)
            return xmlSchemaValidateDoc(validator, document)
        }
        if result != 0, collector.issues.isEmpty {
            return [XMLIssue(line: nil, path: nil, message: result < 0 ? "libxml2 could not validate the document" : "not valid against \(path)")]
        }
        return collector.issues
    }
}
