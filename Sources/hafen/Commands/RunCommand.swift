import AdminServer
import ArgumentParser
import Foundation
import Transport
import Gateway
import Ledger
import Logging
import Shops
import ServiceLifecycle
import UnixSignals

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the gateway: watch the inboxes and process files, export orders, receive webhooks.",
        discussion: """
            With --once, handle what is waiting (letting fresh files settle), poll each export once, and exit:
            0 all good, 1 some file or export failed, a file is stuck (could not be taken, processed or placed), or an SFTP partner could not be reached. With server: in hafen.yaml, the daemon also receives Shopify's
            webhooks (POST /webhooks/shopify) and answers GET /health.
            """)

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
            // A service too, so that SIGTERM lets the file in hand finish (as in the daemon).
            let group = ServiceGroup(configuration: .init(
                services: [.init(service: OnceRun(config: config, options: options), successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: options.logger()))
            try await group.run()
        } else {
            let signal = WakeSignal()
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: GatewayService(config: config, logger: options.logger(), signal: signal))]
            if let server = try adminServer(config, signal: signal) { services.append(.init(service: server)) }
            let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: options.logger()))
            do {
                try await group.run()
            } catch {
                Output.error("\(error)")
                throw ExitCode(2)
            }
        }
    }

    /// The webhook receiver, when `server:` is configured; every shop's `webhook_secret` is read now.
    private func adminServer(_ config: GatewayConfig, signal: WakeSignal) throws -> AdminServer? {
        guard var server = config.server else { return nil }
        let descriptors = DescriptorLimit.raise()
        let connections = DescriptorLimit.connections(wanted: server.maxConnections, limit: descriptors)
        if connections < server.maxConnections {
            options.logger().warning("server.max_connections lowered to \(connections): the open-file limit is \(descriptors)")
            server.maxConnections = connections
        }
        var secrets: [String: String] = [:]
        for shop in config.shops {
            guard let secret = shop.webhookSecret else { continue }
            do {
                secrets[shop.name] = try secret.resolve(relativeTo: config.root)
            } catch {
                Output.error("\(config.file): shops.\(shop.name).webhook_secret: \(error)")
                throw ExitCode(2)
            }
        }
        let ledger: Ledger
        do {
            ledger = try Ledger(path: config.ledgerPath)
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
        let logger = options.logger()
        if secrets.isEmpty { logger.warning("server: no shop has a webhook_secret, so every webhook is refused") }
        let host = server.host
        return AdminServer(server: server, ledger: ledger, verifier: WebhookVerifier(secrets: secrets), signal: signal, logger: logger) { port in
            logger.info("listening", metadata: ["address": "http://\(host):\(port)", "webhooks": "/webhooks/shopify"])
        }
    }
}
