import Formats
import Foundation
import Ledger
import Mapping
import Validation
import XML

/// XML files (`format: xml`) and SOAP dumps (`format: soap`): validated against the flow's XSD while libxml2 streams them, cut
/// into records at the record element, each record's fields read by relative paths and mapped
/// like a CSV row. A record with a violation inside it is rejected (with `skip-rows` the others
/// go on); a document that is not well-formed, has a DOCTYPE, or breaks a limit fails as a
/// whole. Then the file takes the same way as every other: ledger, push, receipt, archive.
extension Gateway {
    func processXML(
        _ entry: FileEntry, flow: FlowConfig, source: XMLRecordSource, descriptor: Int32, before: stat, displayPath: String
    ) async throws -> FileEntry {
        // libxml2 reads the file itself, so the checksum takes a pass of its own.
        let sha = try Self.sha256(ofFile: entry.workPath)
        var result = TableCheckResult(diagnostics: DiagnosticLog(cap: config.diagnosticCap))
        var mapping = flow.mapping.map { FileMapping(spec: $0, file: displayPath, cap: config.diagnosticCap) }
        let columns = Dictionary(source.fields.enumerated().map { ($1.name, $0 + 1) }, uniquingKeysWith: { a, _ in a })
        func diagnose(_ issue: XMLIssue, code: DiagnosticCode, row: Int? = nil) {
            result.diagnostics.append(Diagnostic(
                code, at: Position(file: displayPath, line: issue.line, row: row), field: issue.path,
                rule: code == .xsdViolation ? "xsd" : code == .soapFault ? "soap" : "xml",
                message: issue.message))
        }
        do {
            let soap = source.soap ? try SOAPEnvelopeReader(path: entry.workPath, schema: source.schema) : nil
            let reader: any XMLEventStream
            if let soap { reader = soap } else { reader = try XMLReader(path: entry.workPath, schema: source.schema) }
            let records = XMLRecordReader(reader: reader, record: source.record, paths: Set(source.fields.map(\.path)))
            var seen = 0
            var outside: [XMLIssue] = []
            while let record = try records.next() {
                result.rowsRead += 1
                let all = reader.issues
                let fresh = all.dropFirst(seen)
                seen = all.count
                let own = fresh.filter { $0.path == record.path || $0.path?.hasPrefix(record.path + "/") == true }
                outside += fresh.filter { !($0.path == record.path || $0.path?.hasPrefix(record.path + "/") == true) }
                for issue in own { diagnose(issue, code: .xsdViolation, row: record.index) }
                let cells = Dictionary(source.fields.map { field -> (String, Value) in
                    let values = record.values[field.path] ?? []
                    return (field.name, values.isEmpty ? .null : .text(values.joined(separator: ",")))
                }, uniquingKeysWith: { a, _ in a })
                let sourceRecord = SourceRecord(row: record.index, line: record.line, cells: cells)
                if own.isEmpty, mapping == nil || mapping!.add(sourceRecord, columnNumbers: columns) {
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
        let mapped = mapping?.finish()
        if let mapped, let log = mapping?.log {
            result.rowsValid -= mapped.rowsFailedAtEnd.count
            result.rowsRejected += mapped.rowsFailedAtEnd.count
            result.diagnostics.merge(log)
        }
        afterRead?(entry.workPath)
        if let change = Self.change(of: descriptor, since: before, bytesRead: Int64(before.st_size)) {
            return try giveBack(entry, flow: flow, reason: "the file changed while it was read (\(change)); its writer was probably not finished")
        }
        return try await conclude(
            entry, flow: flow, result: result, mapped: mapped, sha: sha, size: Int64(before.st_size), displayPath: displayPath, rejectedFile: nil,
            rejectedTemp: entry.workPath + ".rejected.csv")
    }
}
