import ArgumentParser
import Foundation
import Gateway
import Shops
import Logging

struct ReexportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reexport",
        abstract: "Write an order to the outbox again, on purpose, recorded as a re-export.",
        discussion: "For an order the ERP lost, or one listed for review after it changed. The file's export.kind is reexport.")

    @OptionGroup var options: ConfigOptions

    @Argument(help: ArgumentHelp("The order: its name (#1001 or 1001) as exported before, or the shop's id (\(ShopifyID.orderExample))."))
    var order: String

    @Option(help: "The export to write it with (needed when there are several).")
    var export: String?

    func run() async throws {
        let config = try options.load()
        let candidates = config.exports.filter { export == nil || $0.name == export }
        guard candidates.count == 1, let flow = candidates.first else {
            Output.error(candidates.isEmpty ? "no export named \(export ?? "") in \(config.file)" : "several exports: say which with --export (\(candidates.map(\.name).joined(separator: ", ")))")
            throw ExitCode(2)
        }
        let lock = try DaemonLock.take(config)
        defer { withExtendedLifetime(lock) {} }
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let gateway = try options.gateway(config)
        do {
            let run = try await gateway.reexport(flow, reference: order)
            ExportLines.print(run, config: config)
        } catch {
            Output.error("\(error)")
            throw ExitCode(1)
        }
    }
}
