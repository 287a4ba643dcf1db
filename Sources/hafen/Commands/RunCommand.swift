import ArgumentParser
import Foundation
import Gateway
import Ledger
import Logging
import ServiceLifecycle
import UnixSignals

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the gateway: watch the inboxes and process files.",
        discussion: "With --once, handle what is waiting (letting fresh files settle) and exit: 0 all good, 1 some file failed.")

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Handle the files waiting now, then exit.")
    var once = false

    func run() async throws {
        let config = try options.load()
        try FileManager.default.createDirectory(atPath: config.absolute(config.stateDirectory), withIntermediateDirectories: true)
        guard let lock = InstanceLock(path: config.lockPath) else {
            Output.error(GatewayError.alreadyRunning(config.display(config.lockPath)).description)
            throw ExitCode(2)
        }
        defer { withExtendedLifetime(lock) {} }
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        if once {
            try await runOnce(config)
        } else {
            let service = GatewayService(config: config, logger: options.logger())
            let group = ServiceGroup(configuration: .init(
                services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: options.logger()))
            do {
                try await group.run()
            } catch {
                Output.error("\(error)")
                throw ExitCode(2)
            }
        }
    }

    private func runOnce(_ config: GatewayConfig) async throws {
        let gateway = try options.gateway(config)
        var finished = try await gateway.recover()
        while true {
            finished += await gateway.scanOnce().finished
            guard gateway.hasPendingFiles else { break }
            try await Task.sleep(for: gateway.nextWake)
        }
        for entry in finished {
            Output.line(FileLine.render(entry, config: config))
        }
        if finished.isEmpty { Output.line("nothing to do: no files waiting") }
        if finished.contains(where: { $0.state == .failed }) { throw ExitCode(1) }
    }
}
