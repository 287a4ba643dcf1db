import ArgumentParser
import Foundation
import Formats
import Gateway
import Ledger
import Shops

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one file's receipt: what arrived, what happened, every problem.")

    @Argument(help: "A ledger id, a file name, or a SHA-256 prefix (at least 6 hex digits).")
    var reference: String

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let config = try options.load()
        let ledger = try LedgerAccess.open(config)
        let matches = try ledger.find(reference)
        guard let entry = matches.first else {
            Output.error("no file matches \"\(reference)\" (try `hafen files`)")
            throw ExitCode(2)
        }
        let stored = try ledger.receipt(for: entry.id)
        if output.json {
            if let stored { print(stored.json, terminator: "") } else { try Output.json(entry) }
            return
        }
        Output.line("#\(entry.id)  \(entry.name)  (flow \(entry.flow))")
        Output.line("  state      \(entry.state.rawValue)\(entry.attempt > 1 ? ", attempt \(entry.attempt)" : "")")
        Output.line("  source     \(entry.source)")
        Output.line("  size       \(entry.size.map { "\($0) bytes" } ?? "-")")
        Output.line("  sha256     \(entry.sha256 ?? "-")")
        Output.line("  received   \(Output.time(entry.receivedAt))")
        Output.line("  finished   \(Output.time(entry.finishedAt))")
        if let read = entry.rowsRead {
            Output.line("  rows       \(read) read, \(entry.rowsValid ?? 0) valid, \(entry.rowsRejected ?? 0) rejected")
        }
        if let path = entry.finalPath { Output.line("  stored at  \(config.display(path))") }
        if let path = entry.rejectedPath { Output.line("  rejected   \(config.display(path))") }
        if let retry = entry.retryOf { Output.line("  repeats    #\(retry)") }
        if let first = entry.duplicateOf { Output.line("  duplicate  of #\(first)") }
        if stored == nil, let summary = entry.errorSummary { Output.line("  summary    \(summary)") }
        if let stored, let receipt = try? Receipt.decoder.decode(Receipt.self, from: Data(stored.json.utf8)) {
            Output.line("  summary    \(receipt.summary)")
            if let mapped = receipt.rows.mapped, let objects = receipt.objects {
                Output.line("  mapped     \(mapped) rows (\(receipt.rows.filtered ?? 0) left out by the filter) → \(objects.products) products, "
                    + "\(objects.variants) variants, \(objects.stockLevels) stock levels")
            }
            for shop in receipt.shops ?? [] {
                let sent = shop.writesBlocked
                    ? "writes blocked, \(shop.notSent) changes not sent"
                    : "\(shop.created) created, \(shop.updated) updated, \(shop.unchanged) unchanged, \(shop.refused) refused"
                        + (shop.skipped > 0 ? ", \(shop.skipped) skipped" : "") + (shop.bulkImport ? " (bulk import)" : "")
                Output.line("  shop       \(shop.shop): \(sent); \(shop.statistics.apiCalls) calls, \(shop.statistics.costPoints) cost points, "
                    + "\(shop.statistics.throttledMilliseconds) ms waiting for the rate limit")
                if let failure = shop.failure { Output.line("             stopped: \(failure)") }
            }
            if let reused = receipt.nameReusedFrom { Output.line("  note       the name was used before by #\(reused) (other content)") }
            Output.line("  receipt    \(config.display(stored.path))")
            if !receipt.errors.isEmpty {
                Output.line()
                Output.line("Problems (\(receipt.errorsTotal)\(receipt.errorsTotal > receipt.errors.count ? ", first \(receipt.errors.count) kept" : "")):")
                for diagnostic in receipt.errors { Output.line("  " + DiagnosticFormatter.line(for: diagnostic)) }
            }
        }
        for transfer in try ledger.transfers(fileID: entry.id) {
            Output.line("  transfer   " + TransferLine.render(transfer))
        }
        for grown in try ledger.activity(fileID: entry.id, limit: 50) where grown.event == Gateway.grewEvent {
            Output.line()
            Output.line("Warning (\(Output.time(grown.at))): \(grown.message)")
        }
        if entry.state == .failed || entry.state == .partial {
            Output.line()
            Output.line("To try again after fixing the file or schema: hafen reprocess \(entry.id)")
        }
        if matches.count > 1 {
            Output.line()
            Output.line("Other files matching \"\(reference)\": " + matches.dropFirst().map { "#\($0.id) (\($0.state.rawValue))" }.joined(separator: ", "))
        }
    }
}
