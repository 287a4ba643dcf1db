public import Logging
public import ServiceLifecycle
import Transport

/// `hafen run` as a service: recovers interrupted files, then scans on inotify events and on an
/// interval until shutdown. On SIGTERM/SIGINT the file in hand finishes its step and its ledger
/// commit; anything not yet committed is picked up again on the next start.
public struct GatewayService: Service {
    let config: GatewayConfig
    let logger: Logger

    public init(config: GatewayConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    public func run() async throws {
        let gateway = try Gateway(config: config, logger: logger)
        try await gateway.recover()
        let signal = WakeSignal()
        let watcher = DirectoryWatcher(directories: gateway.watchedDirectories, signal: signal)
        defer { watcher.stop() }
        logger.info("watching", metadata: ["flows": "\(config.flows.map(\.name).joined(separator: ","))", "inotify": "\(watcher.isActive)"])
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                await gateway.scanOnce()
                await signal.wait(upTo: gateway.nextWake)
            }
        } onGracefulShutdown: {
            signal.fire()
        }
        logger.info("stopped")
    }
}
