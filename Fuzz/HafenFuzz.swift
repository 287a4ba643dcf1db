// libFuzzer entry point for Hafen's parsers, compiled by tools/fuzz.sh together with the
// sources of Formats, Validation, XML, EDIFACT, Commerce and Mapping into one module (so it needs no
// SwiftPM build with sanitizers). HAFEN_FUZZ_TARGET picks what the input is fed to; each
// target must end without crashing, hanging or leaking, whatever the bytes.
import Foundation

private let target = ProcessInfo.processInfo.environment["HAFEN_FUZZ_TARGET"] ?? "csv"
private let scratch = (FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()) + "/hafen-fuzz-\(getpid())"

/// A schema that makes every cast and constraint run: types, formats, ranges, keys.
private let schema = try! TableSchema.parse(Data(#"""
    {"fields": [
      {"name": "sku", "constraints": {"required": true, "pattern": "[A-Z]-[0-9]+"}},
      {"name": "n", "type": "integer", "constraints": {"minimum": 0}},
      {"name": "price", "type": "number", "decimalChar": ",", "groupChar": "."},
      {"name": "day", "type": "date", "format": "%d.%m.%Y"},
      {"name": "at", "type": "datetime"},
      {"name": "ok", "type": "boolean", "trueValues": ["J"], "falseValues": ["N"]},
      {"name": "ean", "type": "string", "format": "default", "constraints": {"maxLength": 14}},
      {"name": "year", "type": "year"}, {"name": "mail", "type": "string", "format": "email"}
    ], "primaryKey": ["sku"], "missingValues": ["", "-"]}
    """#.utf8))

private let dialects: [CSVDialect] = {
    var result: [CSVDialect] = []
    for encoding in TextEncoding.allCases {
        for delimiter: UInt8? in [UInt8(ascii: ","), UInt8(ascii: ";"), nil] {
            for header in [true, false] {
                var dialect = CSVDialect(delimiter: delimiter, header: header, encoding: encoding, maxRecordBytes: 4096)
                dialect.trailingDelimiter = header ? .auto : .always
                result.append(dialect)
            }
        }
    }
    result.append(CSVDialect(delimiter: UInt8(ascii: ";"), quote: nil, escape: nil))
    result.append(CSVDialect(delimiter: UInt8(ascii: ","), escape: UInt8(ascii: "\\")))
    return result
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: size))
    switch target {
    case "csv": fuzzCSV(bytes)
    case "table": fuzzTable(bytes)
    case "xml": fuzzXML(bytes, schema: nil)
    case "xml-xsd": fuzzXML(bytes, schema: xsd)
    case "soap": fuzzSOAP(bytes)
    case "expression": fuzzExpression(bytes)
    case "edifact": fuzzEDIFACT(bytes)
    default: fatalError("unknown HAFEN_FUZZ_TARGET \(target)")
    }
    return 0
}

/// The first byte chooses the dialect and encoding; the rest is the file.
private func fuzzCSV(_ bytes: [UInt8]) {
    guard let first = bytes.first else { return }
    let reader = CSVReader(source: MemorySource(Array(bytes.dropFirst()), chunkLimit: Int(first % 7) + 1 + Int(first) * 3),
                           dialect: dialects[Int(first) % dialects.count], chunkSize: 64)
    do {
        while let record = try reader.next() {
            record.withFields { fields in for index in 0..<fields.count { _ = fields[index].count } }
            _ = record.fields
        }
    } catch {
        _ = error.diagnostic(file: "fuzz.csv").message
    }
}

/// The whole table check: header matching, every cast, keys and the second pass.
private func fuzzTable(_ bytes: [UInt8]) {
    guard let first = bytes.first else { return }
    var dialect = dialects[Int(first) % dialects.count]
    dialect.header = true
    let rest = Array(bytes.dropFirst())
    let header = Array("sku;n;price;day;at;ok;ean;year;mail\n".utf8)
    dialect.delimiter = UInt8(ascii: ";")
    let input = first & 1 == 0 ? header + rest : rest
    _ = try? CSVTableCheck.run(source: MemorySource(input), dialect: dialect, schema: schema, file: "fuzz.csv", diagnosticCap: 50)
}

private func write(_ bytes: [UInt8], name: String) -> String {
    try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    let path = scratch + "/" + name
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
}

/// An XSD for the `Artikel` records, so that validation while streaming runs too (`xml-xsd`).
private let xsd: XMLSchema = {
    let path = write(Array(#"""
        <?xml version="1.0"?>
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:element name="Artikelliste"><xs:complexType><xs:sequence>
            <xs:element name="Artikel" maxOccurs="unbounded"><xs:complexType><xs:sequence>
              <xs:element name="Nummer"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="[A-Z]-[0-9]+"/></xs:restriction></xs:simpleType></xs:element>
              <xs:element name="Preis" type="xs:decimal"/>
              <xs:element name="Text" minOccurs="0"><xs:complexType><xs:simpleContent><xs:extension base="xs:string">
                <xs:attribute name="lang" type="xs:language"/></xs:extension></xs:simpleContent></xs:complexType></xs:element>
              <xs:element name="Menge" type="xs:positiveInteger" minOccurs="0"/>
            </xs:sequence><xs:attribute name="aktiv" type="xs:boolean"/></xs:complexType></xs:element>
          </xs:sequence></xs:complexType></xs:element>
        </xs:schema>
        """#.utf8), name: "artikel.xsd")
    return try! XMLSchema(path: path)
}()

/// The streaming XML reader, its record assembly and error positions.
private func fuzzXML(_ bytes: [UInt8], schema: XMLSchema?) {
    let path = write(bytes, name: "in.xml")
    do {
        let reader = try XMLReader(path: path, schema: schema)
        let records = XMLRecordReader(reader: reader, record: "Artikel", paths: ["Nummer", "Preis", "Text/@lang", "Menge"])
        while let record = try records.next() { _ = record.values.count }
    } catch {
        _ = "\(error)"
    }
}

/// SOAP dumps: MIME parts, envelopes, faults.
private func fuzzSOAP(_ bytes: [UInt8]) {
    let path = write(bytes, name: "in.soap")
    do {
        let reader = try SOAPEnvelopeReader(path: path)
        while let event = try reader.next() { _ = event }
    } catch {
        _ = "\(error)"
    }
}

/// The mapping language: parse, then evaluate against a row where every column holds the input.
private func fuzzExpression(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let expression = try? ExpressionParser.parse(text, columns: ["a", "b", "Preis"]) else { return }
    _ = try? expression.evaluate { _ in .text(text) }
}

/// The EDIFACT tokenizer and envelope checks, in chunks the first byte chooses, then every
/// segment read written back (which may refuse a value, never crash).
private func fuzzEDIFACT(_ bytes: [UInt8]) {
    guard let first = bytes.first else { return }
    var reader = EDIFACTInterchangeReader(
        source: MemorySource(Array(bytes.dropFirst()), chunkLimit: Int(first % 13) + 1),
        limits: EDIFACTLimits(maximumSegmentBytes: 2048, maximumElements: 40, maximumComponents: 20, maximumRepetitions: 20),
        maximumProblems: 50)
    var characters = ServiceCharacters.standard
    characters.repetition = UInt8(ascii: "*")
    let writer = EDIFACTWriter(characters: characters, charset: first & 1 == 0 ? .utf8 : .iso8859(part: 1))
    do {
        while let event = try reader.next() {
            if case .segment(let segment, _) = event { _ = try? writer.bytes(of: segment) }
        }
    } catch {
        _ = "\(error)"
    }
    for problem in reader.problems { _ = problem.description }
}
