import ArgumentParser
import Gateway

struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Send a file a safety valve held back (far fewer rows than the last good file), as a new attempt linked to it.",
        discussion: "If the daemon is running, the file is handed to it.")

    @Argument(help: "The ledger id of the held file.")
    var id: Int64

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await Requeue.run(id, options: options, output: output, verb: "approving", now: { try await $0.approve(id) }, queue: { try $0.queueApprove(id) })
    }
}
