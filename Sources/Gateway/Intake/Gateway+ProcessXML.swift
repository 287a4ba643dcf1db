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
        _ entry: FileEntry, flow: FlowConfig, source: XMLRecordSource, descriptor: Int32, before: stat, displayPath: String, checksum: String?
    ) async throws -> FileEntry {
        // libxml2 reads the file itself, so the checksum takes a pass of its own (unless known).
        let sha = try checksum ?? Self.sha256(ofFile: entry.workPath)
        let result: TableCheckResult
        var mapped: MappingResult?
        if let spec = flow.mapping {
            (result, mapped) = XMLRecordCheck.run(path: entry.workPath, file: displayPath, source: source, spec: spec, diagnosticCap: config.diagnosticCap)
        } else {
            result = XMLRecordCheck.check(path: entry.workPath, file: displayPath, source: source, diagnosticCap: config.diagnosticCap)
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
