public import Logging
public import ServiceLifecycle
public import Transport

/// `hafen run` as a service: recovers interrupted files and exports, then scans on inotify
/// events and on an interval, polls the shop for orders on each export's schedule, and exports
/// at once what stored webhooks name, until shutdown. On SIGTERM/SIGINT the file in hand
/// finishes its step and its ledger commit; anything not yet committed is picked up again on
/// the next start.
public struct GatewayService: Service, CustomStringConvertible {
    let config: GatewayConfig
    let logger: Logger
    let signal: WakeSignal
    let events: GatewayEvents

    /// - Parameters:
    ///   - signal: fired by others (the webhook receiver) to wake the loop at once.
    ///   - events: where the gateway publishes what happens (the admin console and tests subscribe).
    public init(config: GatewayConfig, logger: Logger, signal: WakeSignal = WakeSignal(), events: GatewayEvents = GatewayEvents()) {
        self.config = config
        self.logger = logger
        self.signal = signal
        self.events = events
    }

    public var description: String { "GatewayService(\(config.file))" }

    public func run() async throws {
        let gateway = try Gateway(config: config, logger: logger, events: events)
        try await gateway.recover()
        try gateway.recoverExports()
        let signal = signal
        let watcher = DirectoryWatcher(directories: gateway.watchedDirectories, signal: signal)
        defer { watcher.stop() }
        logger.info("watching", metadata: ["flows": "\(config.flows.map(\.name).joined(separator: ","))", "inotify": "\(watcher.isActive)"])
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                await gateway.scanOnce()
                let exportWake = await gateway.runExports()
                await signal.wait(upTo: min(gateway.nextWake, exportWake))
            }
        } onGracefulShutdown: {
            signal.fire()
        }
        logger.info("stopped")
    }
}
