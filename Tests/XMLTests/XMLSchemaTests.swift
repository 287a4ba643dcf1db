import Foundation
import HafenTesting
import Testing
import XML

/// Schemas compile once with their local includes, never fetch anything from the network, and
/// report each violation with its line and element path.
@Suite struct XMLSchemaTests {
    static let types = """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:simpleType name="Menge"><xs:restriction base="xs:integer"><xs:minInclusive value="1"/></xs:restriction></xs:simpleType>
          <xs:simpleType name="Betrag"><xs:restriction base="xs:decimal"><xs:fractionDigits value="2"/></xs:restriction></xs:simpleType>
        </xs:schema>
        """

    static let orders = """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:include schemaLocation="types.xsd"/>
          <xs:element name="Auftraege">
            <xs:complexType><xs:sequence>
              <xs:element name="Auftrag" maxOccurs="unbounded">
                <xs:complexType><xs:sequence>
                  <xs:element name="Datum" type="xs:date"/>
                  <xs:element name="Position" maxOccurs="unbounded">
                    <xs:complexType><xs:sequence>
                      <xs:element name="Menge" type="Menge"/>
                      <xs:element name="Preis" type="Betrag"/>
                    </xs:sequence></xs:complexType>
                  </xs:element>
                </xs:sequence><xs:attribute name="nummer" type="xs:string" use="required"/></xs:complexType>
              </xs:element>
            </xs:sequence></xs:complexType>
            <xs:unique name="eineNummer"><xs:selector xpath="Auftrag"/><xs:field xpath="@nummer"/></xs:unique>
          </xs:element>
        </xs:schema>
        """

    static func folder() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("xsd")
        try dir.write(types, to: "schemas/types.xsd")
        try dir.write(orders, to: "schemas/orders.xsd")
        return dir
    }

    static func document(_ orders: String) -> [UInt8] {
        Array("<?xml version=\"1.0\"?>\n<Auftraege>\n\(orders)</Auftraege>\n".utf8)
    }

    @Test func validatesAgainstASchemaWithALocalInclude() throws {
        let dir = try Self.folder()
        let schema = try XMLSchema(path: dir.file("schemas/orders.xsd"))
        let valid = Self.document("<Auftrag nummer=\"1001\"><Datum>2026-11-22</Datum><Position><Menge>2</Menge><Preis>9.90</Preis></Position></Auftrag>\n")
        #expect(schema.validate(valid) == [])
        let invalid = Self.document("""
            <Auftrag nummer="1001"><Datum>22.11.2026</Datum><Position><Menge>0</Menge><Preis>9.999</Preis></Position></Auftrag>
            <Auftrag nummer="1001"><Datum>2026-11-22</Datum><Position><Menge>1</Menge><Preis>1</Preis></Position></Auftrag>

            """)
        let issues = schema.validate(invalid)
        #expect(issues.count == 4, "\(issues)")
        #expect(issues.allSatisfy { $0.line != nil })
        #expect(issues.contains { $0.path == "/Auftraege/Auftrag[1]/Datum" && $0.message.contains("xs:date") })
        #expect(issues.contains { $0.path == "/Auftraege/Auftrag[1]/Position/Menge" && $0.line == 3 })
        #expect(issues.contains { $0.message.contains("Duplicate key-sequence ['1001']") })
    }

    @Test func refusesADoctypeAndWhatIsNotWellFormed() throws {
        let dir = try Self.folder()
        let schema = try XMLSchema(path: dir.file("schemas/orders.xsd"))
        let withDoctype = Array("<?xml version=\"1.0\"?>\n<!DOCTYPE Auftraege [<!ENTITY x \"y\">]>\n<Auftraege/>\n".utf8)
        #expect(schema.validate(withDoctype).first?.message == "a DOCTYPE is not allowed")
        let broken = schema.validate(Array("<Auftraege><Auftrag></Auftraege>".utf8))
        #expect(broken.count == 1)
        #expect(broken.first?.line == 1)
    }

    @Test func neverFetchesAnIncludeFromTheNetworkOrOutsideTheSchemaFolder() throws {
        let dir = try Self.folder()
        // A server that would answer: the loader must not even ask it.
        try dir.write("""
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:include schemaLocation="http://127.0.0.1:9/types.xsd"/></xs:schema>
            """, to: "schemas/remote.xsd")
        #expect(throws: XMLError.self) { try XMLSchema(path: dir.file("schemas/remote.xsd")) }
        try dir.write(Self.types, to: "outside/types.xsd")
        try dir.write("""
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:include schemaLocation="../outside/types.xsd"/></xs:schema>
            """, to: "schemas/escape.xsd")
        do {
            _ = try XMLSchema(path: dir.file("schemas/escape.xsd"))
            Issue.record("a schema including a file outside its folder compiled")
        } catch {
            #expect(error.description.contains("escape.xsd"))
        }
    }

    @Test func oneSchemaValidatesInManyTasksAtOnce() async throws {
        let dir = try Self.folder()
        let schema = try XMLSchema(path: dir.file("schemas/orders.xsd"))
        let valid = Self.document("<Auftrag nummer=\"1\"><Datum>2026-11-22</Datum><Position><Menge>2</Menge><Preis>9.90</Preis></Position></Auftrag>\n")
        let invalid = Self.document("<Auftrag nummer=\"1\"><Datum>x</Datum><Position><Menge>2</Menge><Preis>9.90</Preis></Position></Auftrag>\n")
        let counts = await withTaskGroup(of: Int.self) { group in
            for index in 0..<200 { group.addTask { schema.validate(index % 2 == 0 ? valid : invalid).count } }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts.filter { $0 == 0 }.count == 100)
        #expect(counts.filter { $0 == 1 }.count == 100)
    }
}
