import ArgumentParser
import Foundation
import Gateway
import Ledger
import Logging
import Shops

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Collect orders from the shop now and write them to the outbox.",
        discussion: """
            Without dates: one poll from where the last one ended (what `hafen run` does on its schedule).
            With --since (and --until): every order changed in that window, a backfill; orders already
            exported are not written again. Exit code 1 when some order could not be written.
            """)

    @OptionGroup var options: ConfigOptions

    @Argument(help: "An export's name under exports:, or a kind (orders); all exports when left out.")
    var name: String?

    @Option(help: "Collect orders changed from this day or time on (2026-11-01 or 2026-11-01T08:00:00Z).")
    var since: String?

    @Option(help: "…up to this day (inclusive) or time.")
    var until: String?

    func validate() throws {
        if until != nil, since == nil { throw ValidationError("--until needs --since") }
        for text in [since, until].compactMap({ $0 }) where ExportDates.parse(text) == nil {
            throw ValidationError("\(text) is not a day (2026-11-01) or time (2026-11-01T08:00:00Z)")
        }
    }

    func run() async throws {
        let config = try options.load()
        let flows = config.exports.filter { name == nil || $0.name == name || $0.kind.rawValue == name }
        guard !flows.isEmpty else {
            Output.error(name.map { "no export named \($0) (exports: \(config.exports.map(\.name).joined(separator: ", ")))" } ?? "no exports: configured in \(config.file)")
            throw ExitCode(2)
        }
        let lock = try DaemonLock.take(config)
        defer { withExtendedLifetime(lock) {} }
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let gateway = try options.gateway(config)
        var failed = false
        for flow in flows {
            let run: ExportRun
            do {
                if let since {
                    let from = ExportDates.parse(since)!
                    // A day given as --until takes that whole day.
                    let to = until.map { text in ExportDates.parse(text)!.addingTimeInterval(text.count == 10 ? 86_399.999 : 0) }
                    run = try await gateway.export(flow, from: from, to: to)
                } else {
                    run = try await gateway.poll(flow)
                }
            } catch {
                Output.error("export \(flow.name): \(error)")
                failed = true
                continue
            }
            ExportLines.print(run, config: config)
            failed = failed || !run.failures.isEmpty
        }
        if failed { throw ExitCode(1) }
    }
}

/// Days and times on the command line: `2026-11-01` (midnight UTC) or an ISO 8601 time.
enum ExportDates {
    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if text.count == 10 {
            formatter.formatOptions = [.withFullDate]
            return formatter.date(from: text)
        }
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

/// How an export run reads on the terminal.
enum ExportLines {
    static func print(_ run: ExportRun, config: GatewayConfig) {
        let kind = config.export(named: run.flow)?.kind ?? .orders
        let unit = kind == .refunds ? "refund" : kind == .customers ? "customer" : "order"
        for file in run.files {
            Output.line("wrote \(config.display(file.path))  \(file.records) \(unit)\(file.records == 1 ? "" : "s")  sha256 \(file.sha256?.prefix(12) ?? "")…")
        }
        let kinds = run.written.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
        Output.line(
            "\(run.flow): \(run.collected) \(kind == .customers ? "customers" : "orders") read, \(run.writtenCount) written\(kinds.isEmpty ? "" : " (\(kinds))"), \(run.filtered) left out by the filter, "
                + "\(run.unchanged) unchanged, \(run.seen) seen before; \(run.statistics.apiCalls) API calls")
        for order in run.review { Output.line("  review: \(order) changed after export (see hafen status; hafen reexport \(order) writes it again)") }
        for failure in run.failures { Output.line("  not written: \(failure)") }
    }
}

/// The daemon's lock, for commands that write to the outbox and ledger as the daemon would.
enum DaemonLock {
    static func take(_ config: GatewayConfig) throws -> InstanceLock {
        try? FileManager.default.createDirectory(atPath: config.absolute(config.stateDirectory), withIntermediateDirectories: true)
        guard let lock = InstanceLock(path: config.lockPath) else {
            Output.error(GatewayError.alreadyRunning(config.display(config.lockPath)).description + " (the daemon exports on its own schedule)")
            throw ExitCode(2)
        }
        return lock
    }
}
