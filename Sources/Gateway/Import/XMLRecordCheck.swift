import Formats
import Foundation
import Mapping
public import Validation
import XML

/// Reads an XML file or SOAP dump as its flow says — validated against the XSD while it
/// streams, cut into records, each mapped like a CSV row — and gives the result in the same
/// shape as a CSV check. Shared by intake, `hafen map`, `hafen plan` and `hafen validate`.
public enum XMLRecordCheck {
    /// Validates `path` as the XML or SOAP flow `flow` reads it (no mapping): what
    /// `hafen validate --flow` reports.
    public static func validate(path: String, flow: FlowConfig, diagnosticCap: Int) -> TableCheckResult? {
        guard let source = flow.xml else { return nil }
        var none: FileMapping?
        return run(path: path, file: path, source: source, mapping: &none, diagnosticCap: diagnosticCap)
    }

    /// - Parameters:
    ///   - path: the file to read.
    ///   - file: the name problems give the file.
    ///   - mapping: receives every record that the XSD accepted (nil: validation only).
    static func run(path: String, file: String, source: XMLRecordSource, mapping: inout FileMapping?, diagnosticCap: Int) -> TableCheckResult {
        var result = TableCheckResult(diagnostics: DiagnosticLog(cap: diagnosticCap))
        let columns = Dictionary(source.fields.enumerated().map { ($1.name, $0 + 1) }, uniquingKeysWith: { a, _ in a })
        func diagnose(_ issue: XMLIssue, code: DiagnosticCode, row: Int? = nil) {
            result.diagnostics.append(Diagnostic(
                code, at: Position(file: file, line: issue.line, row: row), field: issue.path,
                rule: code == .xsdViolation ? "xsd" : code == .soapFault ? "soap" : "xml",
                message: issue.message))
        }
        do {
            let soap = source.soap ? try SOAPEnvelopeReader(path: path, schema: source.schema) : nil
            let reader: any XMLEventStream
            if let soap { reader = soap } else { reader = try XMLReader(path: path, schema: source.schema) }
            let records = XMLRecordReader(reader: reader, record: source.record, paths: Set(source.fields.map(\.path)))
            var seen = 0
            var outside: [XMLIssue] = []
            while let record = try records.next() {
                result.rowsRead += 1
                let all = reader.issues
                var own: [XMLIssue] = []
                if all.count > seen {
                    let fresh = all.dropFirst(seen)
                    seen = all.count
                    let inside = { (issue: XMLIssue) in issue.path == record.path || issue.path?.hasPrefix(record.path + "/") == true }
                    own = fresh.filter(inside)
                    outside += fresh.filter { !inside($0) }
                    for issue in own { diagnose(issue, code: .xsdViolation, row: record.index) }
                }
                guard own.isEmpty else {
                    result.rowsRejected += 1
                    continue
                }
                guard mapping != nil else {
                    result.rowsValid += 1
                    continue
                }
                var cells: [String: Value] = Dictionary(minimumCapacity: source.fields.count)
                for field in source.fields where cells[field.name] == nil {
                    let values = record.values[field.path] ?? []
                    cells[field.name] = values.isEmpty ? .null : .text(values.count == 1 ? values[0] : values.joined(separator: ","))
                }
                let sourceRecord = SourceRecord(row: record.index, line: record.line, cells: cells)
                if mapping!.add(sourceRecord, columnNumbers: columns) {
                    result.rowsValid += 1
                } else {
                    result.rowsRejected += 1
                }
            }
            // Problems outside every record (the document element, a misplaced element): the
            // document itself is invalid.
            outside += reader.issues.dropFirst(seen)
            if !outside.isEmpty {
                for issue in outside { diagnose(issue, code: .xsdViolation) }
                result.fileError = true
            }
            // A SOAP Fault is the web service's error instead of data: the file fails with it.
            for fault in soap?.faults ?? [] {
                diagnose(XMLIssue(line: fault.line, path: fault.path, message: fault.description), code: .soapFault)
                result.fileError = true
            }
        } catch {
            result.fileError = true
            let issues = error.issues.isEmpty ? [XMLIssue(line: nil, path: nil, message: error.message)] : error.issues
            for issue in issues { diagnose(issue, code: .notWellFormedXML) }
        }
        return result
    }
}
