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
        let location = URL(fileURLWithPath: payload).absoluteString
        let payloadReference = namespace.map { "<xs:import namespace=\"\(Self.escaped($0))\" schemaLocation=\"\(Self.escaped(location))\"/>" }
            ?? "<xs:include schemaLocation=\"\(Self.escaped(location))\"/>"
        let wrapper = """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
              <xs:import namespace="\(SOAPEnvelopeReader.soap11)" schemaLocation="soap11.xsd"/>
              <xs:import namespace="\(SOAPEnvelopeReader.soap12)" schemaLocation="soap12.xsd"/>
              \(payloadReference)
            </xs:schema>
            """
        do {
            try Self.envelopeSchema(SOAPEnvelopeReader.soap11).write(toFile: folder + "/soap11.xsd", atomically: false, encoding: .utf8)
            try Self.envelopeSchema(SOAPEnvelopeReader.soap12).write(toFile: folder + "/soap12.xsd", atomically: false, encoding: .utf8)
            try wrapper.write(toFile: folder + "/soap.xsd", atomically: false, encoding: .utf8)
        } catch {
            throw XMLError("cannot write the SOAP envelope schemas: \(error.localizedDescription)")
        }
        try self.init(path: folder + "/soap.xsd", roots: [folder, (payload as NSString).deletingLastPathComponent], reportedAs: payloadPath)
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

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "<", with: "&lt;")
    }
}
