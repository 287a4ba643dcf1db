import Formats
import Mapping
import Validation

/// The read + check + map stage: one file through its flow's format and mapping, giving the
/// counts, the diagnostics and the shop objects. The daemon, `hafen validate`, `hafen map` and
/// `hafen plan` all run it, so a row is counted rejected by one rule everywhere: it failed the
/// format's checks (schema, XSD) or the mapping.
struct CheckStage {
    let format: any RecordFormat
    /// The flow's mapping; nil checks without mapping (a flow without `map:`, `hafen validate`).
    let mapping: MappingSpec?
    let options: ReadOptions

    init(format: any RecordFormat, mapping: MappingSpec?, options: ReadOptions) {
        self.format = format
        self.mapping = mapping
        self.options = options
    }

    init(flow: FlowConfig, diagnosticCap: Int, spillDirectory: String? = nil, checksum: Bool = false, mapping: Bool = true) {
        self.init(
            format: flow.format.reader, mapping: mapping ? flow.mapping : nil,
            options: ReadOptions(diagnosticCap: diagnosticCap, spillDirectory: spillDirectory, checksum: checksum))
    }

    /// Reads, checks and maps `file`.
    /// - Parameter rejects: where the rejected records go (`skip-rows` intake); nil keeps none.
    func run(_ file: ImportFile, rejects: RejectedRows? = nil) throws -> CheckedFile {
        var mapper = mapping.map { FileMapping(spec: $0, file: file.displayPath, cap: options.diagnosticCap) }
        let read = try format.read(file, options: options, onRestart: {
            rejects?.restart()
            mapper?.restart()
        }) { record in
            let accepted = record.valid && (mapper?.add(record.source, columnNumbers: record.columnNumbers) ?? true)
            if !accepted, let rejects, let fields = record.fields { try rejects.add(fields) }
        }
        var check = read.check
        var mapped: MappingResult?
        if var mapper {
            let result = mapper.finish()
            // Records that failed only when the file ended (clashing variants) join the
            // rejected ones, read once more, after those rejected during the read.
            if let rejects, !result.rowsFailedAtEnd.isEmpty {
                try format.fields(ofRows: result.rowsFailedAtEnd, in: file.path) { try rejects.add($0) }
            }
            check.rowsValid -= result.rowsFailed
            check.rowsRejected += result.rowsFailed
            check.diagnostics.merge(mapper.log)
            mapped = result
        }
        return CheckedFile(check: check, mapped: mapped, sha256: read.sha256, bytesRead: read.bytesRead)
    }
}

/// What the check stage found in one file.
struct CheckedFile {
    /// Counts and diagnostics of the format's checks and the mapping together.
    var check: TableCheckResult
    /// The shop objects (flows with a mapping).
    var mapped: MappingResult?
    var sha256: String?
    var bytesRead: Int64?
}
