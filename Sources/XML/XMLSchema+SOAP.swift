import Foundation

extension XMLSchema {
    /// Compiles a schema for SOAP dumps whose payload `payloadPath` describes: SOAP 1.1 and 1.2
    /// envelopes (Hafen's own envelope schemas: any header blocks, checked where their schema is
    /// known; a Body whose every child must be a global element of the payload schema, or a
    /// Fault), with the payload schema imported (or included, when it has no target namespace).
    /// The envelope stays in the stream, so validation streams too.
    public convenience init(soapPayload payloadPath: String) throws(XMLError) {
        let payload = URL(fileURLWithPath: payloadPath).standardizedFileURL.path
        let namespace = try Self.targetNamespace(of: payload)
        let folder: String
        do {
            folder = NSTemporaryDirectory() + "hafen-soap-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw XMLError("cannot write the SOAP envelope schemas: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let wrapper = try Self.wrapperSchema(payload: payload, namespace: namespace)
        do {
            try Self.envelopeSchema(SOAPEnvelopeReader.soap11).write(toFile: folder + "/soap11.xsd", atomically: false, encoding: .utf8)
            try Self.envelopeSchema(SOAPEnvelopeReader.soap12).write(toFile: folder + "/soap12.xsd", atomically: false, encoding: .utf8)
            try Data(wrapper).write(to: URL(fileURLWithPath: folder + "/soap.xsd"))
        } catch {
            throw XMLError("cannot write the SOAP envelope schemas: \(error.localizedDescription)")
        }
        try self.init(path: folder + "/soap.xsd", roots: [folder, (payload as NSString).deletingLastPathComponent], reportedAs: payloadPath)
    }

    /// The schema that brings both envelope schemas and the payload schema together: the
    /// payload imported into its namespace, or included when it has none.
    private static func wrapperSchema(payload: String, namespace: String?) throws(XMLError) -> [UInt8] {
        let writer = try XMLWriter()
        try writer.start("xs:schema")
        try writer.attribute("xmlns:xs", "http://www.w3.org/2001/XMLSchema")
        for (envelope, file) in [(SOAPEnvelopeReader.soap11, "soap11.xsd"), (SOAPEnvelopeReader.soap12, "soap12.xsd")] {
            try writer.start("xs:import")
            try writer.attribute("namespace", envelope)
            try writer.attribute("schemaLocation", file)
            try writer.end()
        }
        try writer.start(namespace == nil ? "xs:include" : "xs:import")
        if let namespace { try writer.attribute("namespace", namespace) }
        try writer.attribute("schemaLocation", URL(fileURLWithPath: payload).absoluteString)
        try writer.end()
        try writer.end()
        return try writer.finish()
    }

    /// An envelope schema for one SOAP version's namespace (written for Hafen; lenient where
    /// the SOAP specifications leave room: attributes, header blocks, the Fault's inside, which
    /// Hafen reads itself).
    static func envelopeSchema(_ namespace: String) -> String {
        """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:env="\(namespace)" targetNamespace="\(namespace)"
                   elementFormDefault="qualified">
          <xs:attribute name="encodingStyle" type="xs:anyURI"/>
          <xs:element name="Envelope">
            <xs:complexType>
              <xs:sequence>
                <xs:element ref="env:Header" minOccurs="0"/>
                <xs:element ref="env:Body"/>
                <xs:any namespace="##other" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
              </xs:sequence>
              <xs:anyAttribute namespace="##any" processContents="lax"/>
            </xs:complexType>
          </xs:element>
          <xs:element name="Header">
            <xs:complexType>
              <xs:sequence><xs:any namespace="##any" processContents="lax" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
              <xs:anyAttribute namespace="##any" processContents="lax"/>
            </xs:complexType>
          </xs:element>
          <xs:element name="Body">
            <xs:complexType>
              <xs:sequence><xs:any namespace="##any" processContents="strict" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
              <xs:anyAttribute namespace="##any" processContents="lax"/>
            </xs:complexType>
          </xs:element>
          <xs:element name="Fault">
            <xs:complexType mixed="true">
              <xs:sequence><xs:any namespace="##any" processContents="skip" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
              <xs:anyAttribute namespace="##any" processContents="skip"/>
            </xs:complexType>
          </xs:element>
        </xs:schema>
        """
    }

    /// The `targetNamespace` of the schema at `path`, nil when it has none.
    static func targetNamespace(of path: String) throws(XMLError) -> String? {
        let reader = try XMLReader(path: path)
        while let event = try reader.next() {
            if case .start(let element) = event {
                return element.attributes.first { $0.name == "targetNamespace" }?.value
            }
        }
        throw XMLError("the schema \(path) is empty")
    }
}
