public import Formats
public import Mapping
import Validation

/// What a flow's mapping makes of a file, without touching the ledger, the inbox or a shop:
/// for admins writing or changing a mapping (`hafen map`, `hafen plan`). The same check stage
/// as the daemon's, so the counts agree with what intake would report.
public struct MappingPreview: Sendable {
    public var rowsRead: Int
    public var rowsRejected: Int
    public var result: MappingResult
    /// Validation and mapping problems in file order (capped).
    public var diagnostics: DiagnosticLog

    /// Checks and maps `path` as `flow` would.
    public static func run(path: String, flow: FlowConfig, diagnosticCap: Int = 1000) throws -> MappingPreview {
        guard flow.mapping != nil else { throw GatewayError.notFound("flow \"\(flow.name)\" has no map: section in the configuration") }
        let checked = try CheckStage(flow: flow, diagnosticCap: diagnosticCap).run(ImportFile(input: try FileInput(path: path), path: path))
        return MappingPreview(
            rowsRead: checked.check.rowsRead, rowsRejected: checked.check.rowsRejected, result: checked.mapped ?? MappingResult(),
            diagnostics: checked.check.diagnostics)
    }
}
