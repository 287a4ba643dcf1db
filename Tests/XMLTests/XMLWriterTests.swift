import Foundation
import HafenTesting
import Testing
import XML

/// The writer makes well-formed documents in the declared encoding and refuses what XML cannot hold.
@Suite struct XMLWriterTests {
    @Test func escapesTextAndAttributesAndIndents() throws {
        let writer = try XMLWriter()
        try writer.start("Auftraege", namespace: "urn:hafen:test")
        try writer.start("Auftrag")
        try writer.attribute("nummer", "1001 \"A\" & <B>")
        try writer.element("Notiz", text: "Bitte <klingeln> & warten")
        try writer.end()
        try writer.end()
        let text = String(decoding: try writer.finish(), as: UTF8.self)
        #expect(text == """
            <?xml version="1.0" encoding="UTF-8"?>
            <Auftraege xmlns="urn:hafen:test">
              <Auftrag nummer="1001 &quot;A&quot; &amp; &lt;B&gt;">
                <Notiz>Bitte &lt;klingeln&gt; &amp; warten</Notiz>
              </Auftrag>
            </Auftraege>

            """)
    }

    @Test func writesTheDeclaredEncodingWithReferencesForWhatItLacks() throws {
        let writer = try XMLWriter(encoding: "ISO-8859-1", indent: false)
        try writer.element("Name", text: "Jürgen Weiß ☃")
        let bytes = try writer.finish()
        #expect(String(data: Data(bytes), encoding: .isoLatin1) == "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<Name>Jürgen Weiß &#9731;</Name>\n")
    }

    @Test func refusesControlCharactersAndBadNames() throws {
        let writer = try XMLWriter()
        #expect(throws: XMLError.self) { try writer.start("1Auftrag") }
        try writer.start("Auftrag")
        #expect(throws: XMLError.self) { try writer.text("a\u{1}b") }
        #expect(!XMLWriter.isValidName("Menge Stück"))
        #expect(XMLWriter.isValidName("Menge_Stück"))
    }
}
