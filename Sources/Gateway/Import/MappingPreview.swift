public import Formats
public import Mapping
import Validation

/// What a flow's mapping makes of a file, without touching the ledger, the inbox or a shop:
/// for admins writing or changing a mapping (`hafen map`).
public struct MappingPreview: Sendable {
    public var rowsRead: Int
    public var rowsRejected: Int
    public var result: MappingResult
    /// Validation and mapping problems in file order (capped).
    public var diagnostics: DiagnosticLog

    /// Checks and maps `path` as `flow` would.
    public static func run(path: String, flow: FlowConfig, diagnosticCap: Int = 1000) throws -> MappingPreview {
        guard let spec = flow.mapping else { throw GatewayError.notFound("flow \"\(flow.name)\" has no map: section in the configuration") }
        if let source = flow.xml {
            let (check, result) = XMLRecordCheck.run(path: path, file: path, source: source, spec: spec, diagnosticCap: diagnosticCap)
            return MappingPreview(rowsRead: check.rowsRead, rowsRejected: check.rowsRejected, result: result, diagnostics: check.diagnostics)
        }
        var mapping = FileMapping(spec: spec, file: path, cap: diagnosticCap)
        var check = try CSVTableCheck.run(
            source: try FileInput(path: path), replay: { try FileInput(path: path) }, dialect: flow.dialect, schema: flow.schema,
            file: path, diagnosticCap: diagnosticCap, onRestart: { mapping.restart() }
        ) { row in
            if row.valid { _ = mapping.add(row) }
        }
        let result = mapping.finish()
        check.diagnostics.merge(mapping.log)
        return MappingPreview(rowsRead: check.rowsRead, rowsRejected: check.rowsRejected + result.rowsFailed, result: result,
                              diagnostics: check.diagnostics)
    }
}
