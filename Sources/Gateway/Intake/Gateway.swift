import Foundation
import HTTP
public import Ledger
public import Logging
public import Shops
import Transport
import SFTP

/// The import side of the gateway for local inboxes: notices files, claims them, reads and
/// validates them, records the outcome in the ledger, writes receipts, and moves each file to
/// `archive/` or `failed/`. Used from one task at a time (`GatewayService`, the CLI).
public final class Gateway {
    public let config: GatewayConfig
    public let ledger: Ledger
    let logger: Logger
    var trackers: [String: SettleTracker] = [:]
    /// Called with the work path after a file was read and before it is checked for changes;
    /// tests use it to play a writer that was not finished.
    var afterRead: ((String) -> Void)?
    /// The configured shops by name, with their connections (one client and rate budget each).
    public let shops: [String: any Shop]
    /// What the pipelines publish: files received, stages finished, pushes, outcomes, exports,
    /// deliveries, partners down and up.
    public let events: GatewayEvents
    /// When each export flow last polled (in this process; the first poll is at start).
    var lastPolls: [String: ContinuousClock.Instant] = [:]
    var lastAcknowledgementCheck: ContinuousClock.Instant?
    /// The SFTP partners' connections and health.
    let links: PartnerLinks

    /// Opens the ledger; creates the folders it writes to; reads the shops' tokens (a missing
    /// token is a configuration error at start-up, not a failure at the first file).
    /// - Parameters:
    ///   - shops: connectors to use instead of the configured ones (tests).
    ///   - events: where to publish what happens (a stream of its own by default).
    public init(
        config: GatewayConfig, logger: Logger = Logger(label: "hafen"), shops: [String: any Shop]? = nil, events: GatewayEvents = GatewayEvents()
    ) throws {
        self.config = config
        self.logger = logger
        self.events = events
        self.shops = try shops ?? Self.connect(config)
        links = PartnerLinks(endpoints: try Self.endpoints(config), logger: logger, events: events)
        for flow in config.flows {
            trackers[flow.name] = SettleTracker(rule: flow.readiness)
        }
        for dir in [config.processingDirectory, config.absolute(config.failedDirectory), config.absolute(config.archiveDirectory),
                    config.absolute(config.heldDirectory),
                    config.absolute(config.receiptsDirectory)] + config.flows.filter({ $0.remote == nil }).map({ config.absolute($0.directory) })
        {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        ledger = try Ledger(path: config.ledgerPath)
    }

    /// The settle stage: receipts, ledger commits and placement of finished files.
    var settlement: Settlement { Settlement(config: config, ledger: ledger, logger: logger, events: events) }

    /// The plan + push stage, over the configured shops.
    var pushStage: PushStage { PushStage(config: config, ledger: ledger, shops: shops, logger: logger, events: events) }

    /// Runs a claimed file through the import pipeline.
    /// - Parameter checksum: the SHA-256 computed while a partner's file was downloaded.
    func process(_ entry: FileEntry, flow: FlowConfig, checksum: String? = nil) async throws -> FileEntry {
        let pipeline = ImportPipeline(
            config: config, ledger: ledger, pushStage: pushStage, settlement: settlement, events: events, afterRead: afterRead)
        return try await pipeline.run(entry, flow: flow, inbox: flow.remote == nil ? inbox(flow) : nil, checksum: checksum)
    }

    /// The inbox folder of a flow, absolute.
    func inbox(_ flow: FlowConfig) -> String { config.absolute(flow.directory) }

    /// The work area of a flow (same filesystem as the state folder).
    func workArea(_ flow: FlowConfig) -> String { config.processingDirectory + "/" + flow.name }

    func flow(named name: String) -> FlowConfig? { config.flow(named: name) }

    /// Directories worth watching with inotify.
    public var watchedDirectories: [String] { config.flows.filter { $0.remote == nil }.map(inbox) }

    /// How long until a pending file may be ready, bounded by the rescan interval.
    public var nextWake: Duration {
        let settling = trackers.values.compactMap { $0.nextDeadline() }.min().map { $0 + .milliseconds(50) }
        let partners = links.nextRetry().map { $0 + .milliseconds(50) }
        return [settling, partners, config.rescanInterval].compactMap { $0 }.min()!
    }

    /// Whether any inbox holds a file that is waiting to settle.
    public var hasPendingFiles: Bool {
        trackers.values.contains { $0.nextDeadline() != nil }
    }

    /// SFTP partners that could not be reached or refused the login at their last attempt, with
    /// the reason (what `hafen run --once` reports before it exits with 1).
    public var unreachablePartners: [(partner: String, error: String)] { links.failing }

    /// One connector per configured shop.
    static func connect(_ config: GatewayConfig) throws -> [String: any Shop] {
        var shops: [String: any Shop] = [:]
        for shop in config.shops {
            let token: String
            do {
                token = try shop.token.resolve(relativeTo: config.root)
            } catch {
                throw ConfigError(file: config.file, key: "shops.\(shop.name).token", line: nil, message: error.description)
            }
            let client = ShopifyClient(
                shop: shop.name, store: shop.store, apiVersion: shop.apiVersion, token: token, http: .init(timeout: shop.timeout))
            shops[shop.name] = ShopifyShop(name: shop.name, client: client, bulkThreshold: shop.bulkThreshold)
        }
        return shops
    }
}

extension Gateway {
    /// One endpoint per configured partner, with its secrets read now (a missing one stops the
    /// start with its key, as a shop's token does).
    static func endpoints(_ config: GatewayConfig) throws -> [String: SFTPEndpoint] {
        var endpoints: [String: SFTPEndpoint] = [:]
        for partner in config.partners {
            let authentication: SFTPEndpoint.Authentication
            do {
                switch partner.login {
                case .key(let path, let passphrase):
                    authentication = .key(path: path, passphrase: try passphrase?.resolve(relativeTo: config.root))
                case .password(let secret):
                    authentication = .password(try secret.resolve(relativeTo: config.root))
                }
            } catch {
                let key = if case .key = partner.login { "passphrase" } else { "password" }
                throw ConfigError(file: config.file, key: "partners.\(partner.name).\(key)", line: nil, message: error.description)
            }
            let hostKey: SFTPEndpoint.HostKeyPolicy = switch partner.hostKey {
            case .knownHosts(let path): .knownHosts(path: path)
            case .fingerprint(let fingerprint): .fingerprint(fingerprint)
            }
            endpoints[partner.name] = SFTPEndpoint(
                host: partner.host, port: partner.port, user: partner.user, authentication: authentication, hostKey: hostKey,
                connectTimeout: partner.connectTimeout, timeout: partner.timeout, keepalive: partner.keepalive)
        }
        return endpoints
    }
}
