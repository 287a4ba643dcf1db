import ArgumentParser
import Foundation
import Gateway
import Ledger

struct ReprocessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reprocess",
        abstract: "Run a failed file again (or a partial file's rejected rows), as a new attempt linked to the old one.",
        discussion: "Edit the file in failed/ first if its data was wrong, or fix the schema or hafen.yaml. If the daemon is running, the file is handed to it.")

    @Argument(help: "The ledger id of the failed or partial file.")
    var id: Int64

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let config = try options.load()
        let gateway = try options.gateway(config)
        let lock = InstanceLock(path: config.lockPath)
        let entry: FileEntry
        do {
            entry = lock == nil ? try gateway.queueReprocess(id) : try gateway.reprocess(id)
        } catch let error as GatewayError {
            Output.error(error.description)
            throw ExitCode(2)
        }
        withExtendedLifetime(lock) {}
        if output.json {
            try Output.json(entry)
        } else if lock == nil {
            Output.line("queued #\(entry.id) (repeating #\(id)); the running daemon will process it — see: hafen show \(entry.id)")
        } else {
            Output.line(FileLine.render(entry, config: config))
        }
        if entry.state == .failed { throw ExitCode(1) }
    }
}
