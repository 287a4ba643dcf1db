import ArgumentParser
import Gateway
import Ledger

struct TransfersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfers",
        abstract: "List files fetched from and delivered to SFTP partners, newest first.",
        discussion: """
            Each line says which way the file went, the partner and remote path, and what became of it: \
            inbound files were kept, deleted or moved on the partner's server; outbound ones are pending \
            (waiting for the partner), done, or failed (a different file already had the name; Hafen never \
            overwrites one). After moving such a file aside on the server, --retry queues the failed ones again.
            """)

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Only this state: fetched, pending, done, failed.")
    var state: String?

    @Option(help: "At most this many.")
    var limit = 50

    @Flag(help: "Queue failed deliveries again (the next run or pass sends them).")
    var retry = false

    func run() throws {
        let config = try options.load()
        let ledger = try LedgerAccess.open(config)
        if retry {
            Output.line("\(try ledger.retryFailedTransfers()) failed deliveries queued again")
            return
        }
        var transfers: [Transfer]
        if let state {
            guard let parsed = Transfer.State(rawValue: state) else {
                Output.error("--state must be one of \(Transfer.State.allCases.map(\.rawValue).joined(separator: ", "))")
                throw ExitCode(2)
            }
            transfers = Array(try ledger.transfers(state: parsed).reversed().prefix(limit))
        } else {
            transfers = try ledger.recentTransfers(limit: limit)
        }
        if output.json {
            try Output.json(transfers)
            return
        }
        for transfer in transfers {
            let file = transfer.fileID.map { " (file #\($0))" } ?? transfer.exportFileID.map { " (export file #\($0))" } ?? ""
            Output.line("\(Output.time(transfer.createdAt))  \(transfer.flow)\(file)  \(TransferLine.render(transfer))")
        }
        if transfers.isEmpty { Output.line("no transfers") }
    }
}
