import Transport
import Formats
import Validation
import XML

/// XML files (`format: xml`) and SOAP dumps (`format: soap`): validated against the flow's
/// XSD while libxml2 streams them, cut into records at the record element, each record's
/// fields read by relative paths. A record with a violation inside it is rejected; a document
/// that is not well-formed, has a DOCTYPE, or breaks a limit fails as a whole, and so does a
/// SOAP Fault.
struct XMLRecordFormat: RecordFormat {
    let settings: XMLSettings
    let soap: Bool

    func read(
        _ file: ImportFile, options: ReadOptions, onRestart: () throws -> Void, onRecord: (CheckedRecord) throws -> Void
    ) throws -> FormatRead {
        // libxml2 reads the file itself, so the checksum takes a pass of its own (unless known).
        let sha = options.checksum ? try file.knownChecksum ?? FileDigest.sha256(ofFile: file.path) : nil
        let check = try check(path: file.path, file: file.displayPath, cap: options.diagnosticCap, onRecord: onRecord)
        return FormatRead(check: check, sha256: sha, bytesRead: nil)
    }

    func fields(ofRows rows: [Int], in path: String, each: ([String]) throws -> Void) throws {}

    var rejectedRows: RejectedRowsLayout? { nil }

    /// Validates and cuts into records; counts each record valid that the XSD accepted (the
    /// import stages take off what the mapping refuses).
    private func check(path: String, file: String, cap: Int, onRecord: (CheckedRecord) throws -> Void) throws -> TableCheckResult {
        var result = TableCheckResult(diagnostics: DiagnosticLog(cap: cap))
        func diagnose(_ issue: XMLIssue, code: DiagnosticCode, row: Int? = nil) {
            result.diagnostics.append(Diagnostic(
                code, at: Position(file: file, line: issue.line, row: row), field: issue.path,
                rule: code == .xsdViolation ? "xsd" : code == .soapFault ? "soap" : "xml",
                message: issue.message))
        }
        let columns = Dictionary(settings.fields.enumerated().map { ($1.name, $0 + 1) }, uniquingKeysWith: { a, _ in a })
        do {
            let envelopes = soap ? try SOAPEnvelopeReader(path: path, schema: settings.schema) : nil
            let reader: any XMLEventStream
            if let envelopes { reader = envelopes } else { reader = try XMLReader(path: path, schema: settings.schema) }
            let records = XMLRecordReader(reader: reader, record: settings.record, paths: Set(settings.fields.map(\.path)))
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
                if own.isEmpty { result.rowsValid += 1 } else { result.rowsRejected += 1 }
                try onRecord(CheckedRecord(content: .xml(record, fields: settings.fields, columnNumbers: columns), valid: own.isEmpty))
            }
            // Problems outside every record (the document element, a misplaced element): the
            // document itself is invalid.
            outside += reader.issues.dropFirst(seen)
            if !outside.isEmpty {
                for issue in outside { diagnose(issue, code: .xsdViolation) }
                result.fileError = true
            }
            // A SOAP Fault is the web service's error instead of data: the file fails with it.
            for fault in envelopes?.faults ?? [] {
                diagnose(XMLIssue(line: fault.line, path: fault.path, message: fault.description), code: .soapFault)
                result.fileError = true
            }
        } catch let error as XMLError {
            result.fileError = true
            let issues = error.issues.isEmpty ? [XMLIssue(line: nil, path: nil, message: error.message)] : error.issues
            for issue in issues { diagnose(issue, code: .notWellFormedXML) }
        }
        return result
    }
}
