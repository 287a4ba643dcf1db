import ArgumentParser
import Gateway

struct ReprocessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reprocess",
        abstract: "Run a failed file again (or a partial file's rejected rows), as a new attempt linked to the old one.",
        discussion: "Edit the file in failed/ first if its data was wrong, or fix the schema or hafen.yaml. If the daemon is running, the file is handed to it.")

    @Argument(help: "The ledger id of the failed or partial file.")
    var id: Int64

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await Requeue.run(id, options: options, output: output, verb: "repeating", now: { try await $0.reprocess(id) }, queue: { try $0.queueReprocess(id) })
    }
}
