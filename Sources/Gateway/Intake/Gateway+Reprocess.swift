#if canImport(Glibc)
import Glibc
#endif
import Foundation
public import Ledger
import Formats
import Logging

extension Gateway {
    /// Runs a failed file again (edited in `failed/` or not, perhaps after a schema or config fix),
    /// or a partial file's rejected rows. The new attempt is a new ledger row linked to the old one.
    public func reprocess(_ id: Int64) async throws -> FileEntry {
        let queued = try queueReprocess(id)
        guard let flow = flow(named: queued.flow) else { throw GatewayError.unknownFlow(queued.flow) }
        return try await process(queued, flow: flow)
    }

    /// Sends a file a safety valve held back (`hafen approve`): a new attempt, linked to the held
    /// one, that the valves let pass.
    public func approve(_ id: Int64) async throws -> FileEntry {
        let queued = try queueApprove(id)
        guard let flow = flow(named: queued.flow) else { throw GatewayError.unknownFlow(queued.flow) }
        return try await process(queued, flow: flow)
    }

    /// Moves a held file into the work area as an approved attempt, for a running daemon to process.
    public func queueApprove(_ id: Int64) throws -> FileEntry {
        guard let old = try ledger.entry(id) else { throw GatewayError.notFound("no file #\(id) in the ledger") }
        guard old.state == .held else {
            throw GatewayError.notReprocessable("#\(id) is \(old.state.rawValue); only held files wait for approval")
        }
        return try requeue(old, from: old.finalPath, name: old.name, source: Verdict.approvedSource)
    }

    /// Moves the file of a failed (or partial) attempt into the work area and registers the new
    /// attempt without processing it: a running daemon picks it up on its next pass.
    public func queueReprocess(_ id: Int64) throws -> FileEntry {
        guard let old = try ledger.entry(id) else { throw GatewayError.notFound("no file #\(id) in the ledger") }
        let source: String
        let name: String
        switch old.state {
        case .failed:
            guard let path = old.finalPath else { throw GatewayError.notReprocessable("#\(id) has no stored file") }
            source = path
            name = old.name
        case .partial:
            guard let path = old.rejectedPath else { throw GatewayError.notReprocessable("#\(id) has no rejected rows") }
            source = path
            name = (path as NSString).lastPathComponent
        default:
            throw GatewayError.notReprocessable("#\(id) is \(old.state.rawValue); only failed or partial files can be reprocessed")
        }
        return try requeue(old, from: source, name: name, source: "reprocess:")
    }

    /// Registers a new attempt linked to `old`, then moves its stored file into the work area.
    /// The row comes first: a crash in between leaves a row whose file is still where it was,
    /// and the next pass finishes the move (`finishRequeue`). The other order would leave a file
    /// in the work area that a restart adopts as a new file, without its link to `old`.
    private func requeue(_ old: FileEntry, from path: String?, name: String, source prefix: String) throws -> FileEntry {
        guard let flow = flow(named: old.flow) else { throw GatewayError.unknownFlow(old.flow) }
        guard let source = path else { throw GatewayError.notReprocessable("#\(old.id) has no stored file") }
        if let waiting = try ledger.unfinished().first(where: { $0.retryOf == old.id }) {
            throw GatewayError.notReprocessable("#\(old.id) is queued already, as #\(waiting.id); see: hafen show \(waiting.id)")
        }
        guard FileManager.default.fileExists(atPath: source) else {
            throw GatewayError.notReprocessable("\(config.display(source)) is no longer there; put the file back or drop a corrected one into the inbox")
        }
        try FileManager.default.createDirectory(atPath: workArea(flow), withIntermediateDirectories: true)
        let registered = try ledger.register(
            flow: flow.name, source: prefix + config.display(source), name: name,
            workPath: FileNames.work(in: workArea(flow), name: name), size: nil, retryOf: old.id)
        CrashPoint.requeued.reach()
        try finishRequeue(registered, repeating: old, from: source)
        events.publish(.received(registered))
        return registered
    }

    /// The stored file a new attempt of `old` starts from: the failed or held file, or a
    /// partial file's rejected rows.
    func requeueSource(of old: FileEntry) -> String? {
        old.state == .partial ? old.rejectedPath : old.finalPath
    }

    /// Moves the stored file of `old` to the new attempt's work path, and removes the old
    /// attempt's report and receipt beside it (the new attempt writes its own).
    func finishRequeue(_ entry: FileEntry, repeating old: FileEntry, from source: String) throws {
        try Settlement.move("the stored file", source, to: entry.workPath)
        let base = FileNames.reportBase(finalPath: source, rejectedPath: source, partial: old.state == .partial)
        unlink(FileNames.errorReport(beside: base))
        unlink(FileNames.receipt(beside: base))
    }
}
