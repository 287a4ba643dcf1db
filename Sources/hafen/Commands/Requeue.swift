import ArgumentParser
import Gateway
import Ledger

/// A new attempt of a stored file (reprocess, approve): processed at once, or handed to the
/// daemon when one is running (it holds the lock).
enum Requeue {
    static func run(
        _ id: Int64, options: ConfigOptions, output: OutputOptions, verb: String,
        now: (Gateway) async throws -> FileEntry, queue: (Gateway) throws -> FileEntry
    ) async throws {
        let config = try options.load()
        let gateway = try options.gateway(config)
        let lock = InstanceLock(path: config.lockPath)
        let entry: FileEntry
        do {
            entry = lock == nil ? try queue(gateway) : try await now(gateway)
        } catch let error as GatewayError {
            Output.error(error.description)
            throw ExitCode(2)
        }
        withExtendedLifetime(lock) {}
        if output.json {
            try Output.json(entry)
        } else if lock == nil {
            Output.line("queued #\(entry.id) (\(verb) #\(id)); the running daemon will process it — see: hafen show \(entry.id)")
        } else {
            Output.line(FileLine.render(entry, config: config))
        }
        if entry.state == .failed { throw ExitCode(1) }
    }
}
