import Foundation
import HTTP
public import Ledger
public import Logging
public import Shops
import Transport

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
    /// When each export flow last polled (in this process; the first poll is at start).
    var lastPolls: [String: ContinuousClock.Instant] = [:]
    var lastAcknowledgementCheck: ContinuousClock.Instant?

    /// Opens the ledger; creates the folders it writes to; reads the shops' tokens (a missing
    /// token is a configuration error at start-up, not a failure at the first file).
    /// - Parameter shops: connectors to use instead of the configured ones (tests).
    public init(config: GatewayConfig, logger: Logger = Logger(label: "hafen"), shops: [String: any Shop]? = nil) throws {
        self.config = config
        self.logger = logger
        self.shops = try shops ?? Self.connect(config)
        for flow in config.flows {
            trackers[flow.name] = SettleTracker(rule: flow.readiness)
        }
        for dir in [config.processingDirectory, config.absolute(config.failedDirectory), config.absolute(config.archiveDirectory),
                    config.absolute(config.heldDirectory),
                    config.absolute(config.receiptsDirectory)] + config.flows.map({ config.absolute($0.directory) })
        {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        ledger = try Ledger(path: config.ledgerPath)
    }

    /// The inbox folder of a flow, absolute.
    func inbox(_ flow: FlowConfig) -> String { config.absolute(flow.directory) }

    /// The work area of a flow (same filesystem as the state folder).
    func workArea(_ flow: FlowConfig) -> String { config.processingDirectory + "/" + flow.name }

    func flow(named name: String) -> FlowConfig? { config.flow(named: name) }

    /// Directories worth watching with inotify.
    public var watchedDirectories: [String] { config.flows.map(inbox) }

    /// How long until a pending file may be ready, bounded by the rescan interval.
    public var nextWake: Duration {
        trackers.values.compactMap { $0.nextDeadline() }.min().map { min($0 + .milliseconds(50), config.rescanInterval) } ?? config.rescanInterval
    }

    /// Whether any inbox holds a file that is waiting to settle.
    public var hasPendingFiles: Bool {
        trackers.values.contains { $0.nextDeadline() != nil }
    }

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
