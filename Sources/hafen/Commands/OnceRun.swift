import ArgumentParser
import Foundation
import Gateway
import Ledger
import ServiceLifecycle
import Shops

/// `hafen run --once`: recovers what a crash left, handles the files waiting (letting fresh
/// ones settle), the orders stored webhooks name, and one poll of each export, then ends. Its
/// errors are the command's exit status: 1 if a file or export failed, a partner could not be
/// reached, or a file is stuck. On SIGTERM the file in hand finishes; the rest waits for the
/// next run, and the run says so.
struct OnceRun: Service, CustomStringConvertible {
    let config: GatewayConfig
    let options: ConfigOptions

    var description: String { "OnceRun(\(config.file))" }

    func run() async throws {
        let gateway = try options.gateway(config)
        // A line for each file as soon as it is settled, from the gateway's events.
        let events = gateway.events.subscribe()
        let lines = Task {
            for await event in events {
                if case .settled(let entry) = event { Output.line(FileLine.render(entry, config: config)) }
            }
        }
        var finished = try await gateway.recover()
        while !Task.isShuttingDownGracefully {
            finished += await gateway.scanOnce().finished
            guard gateway.hasPendingFiles else { break }
            let wake = gateway.nextWake
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: wake) }
        }
        gateway.events.finish()
        await lines.value
        if finished.isEmpty && config.exports.isEmpty && gateway.unreachablePartners.isEmpty && !Task.isShuttingDownGracefully {
            Output.line("nothing to do: no files waiting")
        }
        var exportFailed = false
        if !config.exports.isEmpty && !Task.isShuttingDownGracefully { await gateway.exports.handleWebhooks() }
        for flow in config.exports where !Task.isShuttingDownGracefully {
            do {
                ExportLines.print(try await gateway.poll(flow), config: config)
            } catch ShopError.stopped {
                break
            } catch {
                Output.error("export \(flow.name): \(error)")
                exportFailed = true
            }
        }
        if Task.isShuttingDownGracefully { Output.line("stopped by a signal: what is still waiting is left for the next run") }
        let unreachable = gateway.unreachablePartners
        for (partner, error) in unreachable {
            Output.error("partner \(partner): \(error)")
        }
        // Files that could not be taken, processed or placed: the daemon would retry them with backoff.
        let stuck = gateway.stuck
        for file in stuck {
            Output.error("stuck: \(file.subject): \(file.error) (\(file.tries) \(file.tries == 1 ? "try" : "tries"); retried with backoff)")
        }
        if exportFailed || !unreachable.isEmpty || !stuck.isEmpty { throw ExitCode(1) }
        if finished.contains(where: { $0.state == .failed }) { throw ExitCode(1) }
    }
}
