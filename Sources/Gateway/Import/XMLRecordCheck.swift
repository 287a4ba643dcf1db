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
        return check(path: path, file: path, source: source, diagnosticCap: diagnosticCap)
    }

    /// Validates and cuts into records, without mapping (a flow without `map:`).
    /// - Parameter file: the name problems give the file.
    static func check(path: String, file: String, source: XMLRecordSource, diagnosticCap: Int) -> TableCheckResult {
        read(path: path, file: file, source: source, diagnosticCap: diagnosticCap, map: nil)
    }

    /// Reads and maps `path` (intake, `hafen map` and `hafen plan`): the check, with the
    /// mapping's diagnostics merged in and the records that failed only when the mapping
    /// finished counted as rejected; and the mapping's result.
    /// - Parameter file: the name problems give the file.
    static func run(path: String, file: String, source: XMLRecordSource, spec: MappingSpec, diagnosticCap: Int) -> (TableCheckResult, MappingResult) {
        var mapping = FileMapping(spec: spec, file: file, cap: diagnosticCap)
        let columns = Dictionary(source.fields.enumerated().map { ($1.name, $0 + 1) }, uniquingKeysWith: { a, _ in a })
        var check = read(path: path, file: file, source: source, diagnosticCap: diagnosticCap) { mapping.add($0, columnNumbers: columns) }
        let mapped = mapping.finish()
        check.rowsValid -= mapped.rowsFailedAtEnd.count
        check.rowsRejected += mapped.rowsFailedAtEnd.count
        check.diagnostics.merge(mapping.log)
        return (check, mapped)
    }

    /// - Parameters:
    ///   - path: the file to read.
    ///   - file: the name problems give the file.
    ///   - map: takes every record the XSD accepted and says whether it mapped (nil: validation only).
    private static func read(
        path: String, file: String, source: XMLRecordSource, diagnosticCap: Int, map: ((SourceRecord) -> Bool)?
    ) -> TableCheckResult {
        var result = TableCheckResult(diagnostics: DiagnosticLog(cap: diagnosticCap))
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
                guard let map else {
                    result.rowsValid += 1
                    continue
                }
                var cells: [String: Value] = Dictionary(minimumCapacity: source.fields.count)
                for field in source.fields where cells[field.name] == nil {
                    let values = record.values[field.path] ?? []
                    cells[field.name] = values.isEmpty ? .null : .text(values.count == 1 ? values[0] : values.joined(separator: ","))
                }
                let sourceRecord = SourceRecord(row: record.index, line: record.line, cells: cells)
                if map(sourceRecord) {
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
