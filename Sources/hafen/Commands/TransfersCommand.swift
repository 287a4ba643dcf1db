import ArgumentParser
import Gateway
import Ledger

struct TransfersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfers",
        abstract: "List files fetched from and delivered to SFTP partners, newest first.",
        discussion: """
            Each line says which way the file went, the partner and remote path, and what became of it: \
            inbound files were kept, deleted or moved on the partner's server; outbound ones are pending \
            (waiting for the partner), done, or failed (a different file already had the name; Hafen never \
            overwrites one). After moving such a file aside on the server, --retry queues the failed ones again \
            and sends every waiting delivery now; when the daemon runs, it sends them at its next pass.
            """)

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Only this state: fetched, pending, done, failed.")
    var state: String?

    @Option(help: "At most this many.")
    var limit = 50

    @Flag(help: "Queue failed deliveries again and send all waiting ones now (or, when the daemon runs, at its next pass).")
    var retry = false

    func run() async throws {
        let config = try options.load()
        let ledger = try LedgerAccess.open(config)
        if retry {
            Output.line("\(try ledger.retryFailedTransfers()) failed deliveries queued again")
            try await sendWaiting(config, ledger: ledger)
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

    /// Sends the waiting deliveries now, unless the daemon runs (it holds the lock and sends them
    /// itself). Exits with 1 when some are still waiting or failed.
    private func sendWaiting(_ config: GatewayConfig, ledger: Ledger) async throws {
        let waiting = try ledger.transfers(state: .pending, direction: .outbound).count
        guard waiting > 0 else { return }
        guard let lock = InstanceLock(path: config.lockPath) else {
            Output.line("\(waiting) waiting; the running daemon sends them at its next pass")
            return
        }
        defer { withExtendedLifetime(lock) {} }
        let gateway = try options.gateway(config)
        let failedBefore = try ledger.transfers(state: .failed).count
        let delivered = await gateway.deliverPending()
        let left = try ledger.transfers(state: .pending, direction: .outbound).count
        let failed = try ledger.transfers(state: .failed).count - failedBefore
        Output.line("\(delivered) delivered now" + (left > 0 ? ", \(left) still waiting" : "") + (failed > 0 ? ", \(failed) failed (see hafen transfers --state failed)" : ""))
        for (partner, error) in gateway.unreachablePartners {
            Output.error("partner \(partner): \(error)")
        }
        if left > 0 || failed > 0 { throw ExitCode(1) }
    }
}
