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
        var exports: [ExportStatus]
        var attention: [ExportRecord]
        var overdue: [ExportFile]
        /// Files that grew after they were archived (the last 7 days).
        var grown: [Activity]
    }

    struct ExportStatus: Encodable {
        var export: String
        var files: [String: Int]
        var lastPoll: Date?
    }

    func run() throws {
        let config = try options.load()
        let ledger = try LedgerAccess.open(config)
        let summaries = try ledger.summary()
        let failed = try ledger.files(state: .failed, limit: 10)
        let inFlight = try ledger.unfinished()
        var waiting: [String: Int] = [:]
        for flow in config.flows {
            guard let inbox = flow.localInbox(config) else { continue }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: inbox)) ?? []
            waiting[flow.name] = names.filter { !$0.hasPrefix(".") }.count
        }
        let exportCounts = try ledger.exportCounts()
        let cursorTimes = try ledger.cursorTimes()
        let exports = config.exports.map { ExportStatus(export: $0.name, files: exportCounts[$0.name] ?? [:], lastPoll: cursorTimes[$0.name]) }
        let attention = try ledger.exportsNeedingAttention()
        let now = Date()
        let overdue = try ledger.exportFiles(state: .written).filter { file in
            guard let flow = config.export(named: file.flow), !flow.deliversToPartner, let written = file.writtenAt else { return false }
            let (seconds, _) = flow.overdue.components
            return now.timeIntervalSince(written) > TimeInterval(seconds)
        }
        let grown = try ledger.activity(limit: 2000).filter { $0.event == Gateway.grewEvent && now.timeIntervalSince($0.at) < 7 * 86400 }
        if output.json {
            try Output.json(Report(
                flows: summaries, failed: failed, inFlight: inFlight, waiting: waiting, exports: exports, attention: attention, overdue: overdue, grown: grown))
            return
        }
        var rows = [["FLOW", "WAITING", "DONE", "PARTIAL", "FAILED", "DUPLICATE", "IN FLIGHT", "LAST FINISHED"]]
        for flow in config.flows {
            let s = summaries.first { $0.flow == flow.name }
            let count = { (state: FileState) in String(s?.counts[state.rawValue] ?? 0) }
            rows.append([flow.name, waiting[flow.name].map(String.init) ?? "(sftp)", count(.done), count(.partial), count(.failed), count(.duplicate),
                         String(s?.inFlight ?? 0), Output.time(s?.lastFinishedAt)])
        }
        if !config.flows.isEmpty { Output.table(rows) }
        if !exports.isEmpty {
            if !config.flows.isEmpty { Output.line() }
            var table = [["EXPORT", "WRITTEN", "DELIVERED", "AWAITING ACK", "OVERDUE", "NEEDS ATTENTION", "LAST POLL"]]
            for export in exports {
                let waitingAck = export.files["written"] ?? 0
                table.append([
                    export.export, String(waitingAck + (export.files["delivered"] ?? 0)), String(export.files["delivered"] ?? 0), String(waitingAck),
                    String(overdue.count { $0.flow == export.export }), String(attention.count { $0.flow == export.export }), Output.time(export.lastPoll),
                ])
            }
            Output.table(table)
        }
        let undelivered = try ledger.transfers(state: .failed) + ledger.transfers(state: .pending) + ledger.transfers(state: .fetched)
        if !undelivered.isEmpty {
            Output.line()
            Output.line("SFTP transfers not finished (hafen transfers lists them all):")
            for transfer in undelivered.prefix(20) { Output.line("  \(transfer.flow)  \(TransferLine.render(transfer))") }
        }
        if let paused = try ledger.activity(limit: 200).first(where: { $0.event == "partner paused" }), now.timeIntervalSince(paused.at) < 3600 {
            Output.line()
            Output.line("Partner paused \(Output.time(paused.at)): \(paused.message)")
        }
        if !grown.isEmpty {
            Output.line()
            Output.line("Files that grew after they were archived (the rows added later were never read):")
            for line in grown { Output.line("  #\(line.fileID.map(String.init) ?? "?")  \(Output.time(line.at))  \(line.message)") }
        }
        if !overdue.isEmpty {
            Output.line()
            Output.line("Overdue: written, not yet acknowledged or taken by the ERP:")
            for file in overdue { Output.line("  \(file.flow)  \(config.display(file.path))  written \(Output.time(file.writtenAt))") }
        }
        if !attention.isEmpty {
            Output.line()
            Output.line("Orders needing attention (newest first):")
            for record in attention {
                Output.line("  \(record.flow)  \(record.objectName)  \(record.kind.rawValue): \(record.note ?? "")  (\(Output.time(record.at)))")
            }
            Output.line("Send one again with: hafen reexport ORDER (after fixing the mapping, for a failed one)")
        }
        // Files claimed into a work area whose ledger row could not be written (a full disk):
        // safe there, adopted by the next pass that can write the ledger.
        let known = Set(inFlight.map(\.workPath))
        var unregistered: [String] = []
        for flow in config.flows {
            let area = config.processingDirectory + "/" + flow.name
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: area)) ?? []).sorted()
            where !name.hasPrefix(".") && !name.hasSuffix(".rejected.csv") && !known.contains(area + "/" + name) {
                unregistered.append("\(flow.name)  \(config.display(area + "/" + name))")
            }
        }
        if !unregistered.isEmpty {
            Output.line()
            Output.line("Claimed files without a ledger row yet (adopted when the ledger can write again):")
            for line in unregistered { Output.line("  " + line) }
        }
        // Unfinished files whose last try failed: the daemon retries them with backoff.
        let stuck = try inFlight.compactMap { entry -> (FileEntry, Activity)? in
            guard let last = try ledger.activity(fileID: entry.id, limit: 1).first, last.event == "stuck" else { return nil }
            return (entry, last)
        }
        if !stuck.isEmpty {
            Output.line()
            Output.line("Stuck files (retried with backoff, up to every 5 min):")
            for (entry, last) in stuck {
                Output.line("  #\(entry.id)  \(entry.flow)  \(entry.name)  \(Output.time(last.at)): \(last.message)")
            }
        }
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
