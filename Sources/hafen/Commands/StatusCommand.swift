import ArgumentParser
import Foundation
import Gateway
import Ledger

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show each flow's files by state and what needs attention.")

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        var flows: [FlowSummary]
        var failed: [FileEntry]
        var inFlight: [FileEntry]
        var waiting: [String: Int]
    }

    func run() throws {
        let config = try options.load()
        let ledger = try LedgerAccess.open(config)
        let summaries = try ledger.summary()
        let failed = try ledger.files(state: .failed, limit: 10)
        let inFlight = try ledger.unfinished()
        var waiting: [String: Int] = [:]
        for flow in config.flows {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: config.absolute(flow.directory))) ?? []
            waiting[flow.name] = names.filter { !$0.hasPrefix(".") }.count
        }
        if output.json {
            try Output.json(Report(flows: summaries, failed: failed, inFlight: inFlight, waiting: waiting))
            return
        }
        var rows = [["FLOW", "WAITING", "DONE", "PARTIAL", "FAILED", "DUPLICATE", "IN FLIGHT", "LAST FINISHED"]]
        for flow in config.flows {
            let s = summaries.first { $0.flow == flow.name }
            let count = { (state: FileState) in String(s?.counts[state.rawValue] ?? 0) }
            rows.append([flow.name, String(waiting[flow.name] ?? 0), count(.done), count(.partial), count(.failed), count(.duplicate),
                         String(s?.inFlight ?? 0), Output.time(s?.lastFinishedAt)])
        }
        Output.table(rows)
        if !failed.isEmpty {
            Output.line()
            Output.line("Failed files (newest first):")
            for entry in failed { Output.line("  " + FileLine.render(entry, config: config)) }
            Output.line("Fix the file or the schema, then: hafen reprocess ID")
        }
    }
}

/// Opens the ledger for reading commands, ending with exit code 2 if it cannot be used.
enum LedgerAccess {
    static func open(_ config: GatewayConfig) throws -> Ledger {
        guard FileManager.default.fileExists(atPath: config.ledgerPath) else {
            Output.error("no ledger at \(config.display(config.ledgerPath)) yet; run `hafen run` first")
            throw ExitCode(2)
        }
        do {
            return try Ledger(path: config.ledgerPath)
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
    }
}
