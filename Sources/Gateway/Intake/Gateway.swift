public import Foundation
import HTTP
public import Ledger
public import Logging
public import Shops
import Transport
import SFTP

/// The gateway: its sources (local inboxes and partners' folders), the import pipeline each
/// file goes through (check, verdict, plan and push, settle), the export pipeline, and the
/// deliveries to partners. Used from one task at a time (`GatewayService`, the CLI).
public final class Gateway {
    public let config: GatewayConfig
    public let ledger: Ledger
    let logger: Logger
    /// Where each import flow's files come from (by flow name): a local inbox or a partner's folder.
    let sources: [String: any FileSource]
    /// Files queued for SFTP partners, and their delivery.
    let deliveries: Deliveries
    /// The export pipeline: polls, backfills, webhooks, re-exports.
    public let exports: ExportPipeline
    /// Called with the work path after a file was read and before it is checked for changes;
    /// tests use it to play a writer that was not finished.
    var afterRead: ((String) -> Void)?
    /// The configured shops by name, with their connections (one client and rate budget each).
    public let shops: [String: any Shop]
    /// What the pipelines publish: files received, stages finished, pushes, outcomes, exports,
    /// deliveries, partners down and up.
    public let events: GatewayEvents
    /// The SFTP partners' connections and health.
    let links: PartnerLinks
    /// Files that could not be taken, processed or placed, and when each is tried again.
    var backoff = RetryBackoff()
    /// Work-area files without a ledger row, and when each was first seen (adopted on a later pass).
    var orphanSightings: [String: ContinuousClock.Instant] = [:]
    /// The look at recently archived files for ones that grew after they were taken.
    var growthCheck = GrowthCheck()

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
        for dir in [config.processingDirectory, config.absolute(config.failedDirectory), config.absolute(config.archiveDirectory),
                    config.absolute(config.heldDirectory), config.absolute(config.receiptsDirectory)]
        {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        let ledger = try Self.openLedger(config.ledgerPath)
        self.ledger = ledger
        let links = PartnerLinks(endpoints: try Self.endpoints(config), logger: logger) { change in
            switch change {
            case .down(let partner, let reason):
                events.publish(.partnerDown(partner: partner, reason: reason))
            case .paused(let partner, let reason, let flow):
                try? ledger.log("partner paused", "\(partner): \(reason)", flow: flow)
                events.publish(.partnerDown(partner: partner, reason: reason))
            case .up(let partner):
                events.publish(.partnerUp(partner: partner))
            }
        }
        self.links = links
        sources = try Self.sources(config, ledger: ledger, links: links, logger: logger)
        let destinations = Dictionary(uniqueKeysWithValues: config.partners.map {
            ($0.name, PartnerDestination(partner: $0.name, links: links, scratch: config.processingDirectory) { CrashPoint.deliveryUploaded.reach() })
        })
        let deliveries = Deliveries(config: config, ledger: ledger, destinations: destinations, logger: logger, events: events)
        self.deliveries = deliveries
        exports = ExportPipeline(config: config, ledger: ledger, shops: self.shops, logger: logger, events: events, deliveries: deliveries)
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
        return try await pipeline.run(entry, flow: flow, inbox: sources[flow.name]?.localFolder, checksum: checksum)
    }

    /// The work area of a flow (same filesystem as the state folder).
    func workArea(_ flow: FlowConfig) -> String { FileNames.workArea(of: flow.name, in: config.processingDirectory) }

    func flow(named name: String) -> FlowConfig? { config.flow(named: name) }

    /// Directories worth watching with inotify.
    public var watchedDirectories: [String] { config.flows.compactMap { sources[$0.name]?.localFolder } }

    /// How long until a pending file may be ready, bounded by the rescan interval.
    public var nextWake: Duration {
        let settling = sources.values.compactMap(\.nextDeadline).min().map { $0 + .milliseconds(50) }
        let partners = links.nextRetry().map { $0 + .milliseconds(50) }
        let retries = backoff.nextRetry().map { $0 + .milliseconds(50) }
        return [settling, partners, retries, config.rescanInterval].compactMap { $0 }.min()!
    }

    /// Whether any inbox holds a file that is waiting to settle.
    public var hasPendingFiles: Bool {
        sources.values.contains { $0.nextDeadline != nil }
    }

    /// Files that could not be taken from their inbox, processed or placed at their last try,
    /// with the error and the number of tries in a row: each is retried with backoff (2 s …
    /// 5 min); `hafen run --once` lists them and exits with 1.
    public var stuck: [(subject: String, error: String, tries: Int)] {
        backoff.failing.map { ($0.subject, $0.error, $0.count) }
    }

    /// SFTP partners that could not be reached or refused the login at their last attempt, with
    /// the reason (what `hafen run --once` reports before it exits with 1).
    public var unreachablePartners: [(partner: String, error: String)] { links.failing }

    // The export side is `exports`; these are its entry points, kept on the gateway for the CLI.

    /// One poll of an export flow (see `ExportPipeline.poll`).
    public func poll(_ flow: ExportConfig) async throws -> ExportRun { try await exports.poll(flow) }

    /// A backfill: what changed between `from` and `to` (see `ExportPipeline.export(_:from:to:)`).
    public func export(_ flow: ExportConfig, from: Date, to: Date?) async throws -> ExportRun { try await exports.export(flow, from: from, to: to) }

    /// The objects webhooks named (see `ExportPipeline.export(_:objectIDs:)`).
    public func export(_ flow: ExportConfig, objectIDs: [String]) async throws -> ExportRun { try await exports.export(flow, objectIDs: objectIDs) }

    /// Writes an object again on an admin's word (see `ExportPipeline.reexport`).
    public func reexport(_ flow: ExportConfig, reference: String) async throws -> ExportRun { try await exports.reexport(flow, reference: reference) }

    /// Puts right export files a crash left half-written.
    public func recoverExports() throws { try exports.recoverExports() }

    /// Marks acknowledged export files; answers the overdue ones.
    @discardableResult
    public func checkAcknowledgements() throws -> [ExportFile] { try exports.checkAcknowledgements() }

    /// The daemon's export turn; answers how long until the next poll is due.
    public func runExports() async -> Duration { await exports.runExports() }

    /// Sends what waits for SFTP partners; answers how many went.
    @discardableResult
    public func deliverPending() async -> Int { await deliveries.deliverPending() }

    /// The SHA-256 of a file as lower-case hex (what sidecars and receipts say).
    public static func checksum(ofFile path: String) throws -> String { try FileDigest.sha256(ofFile: path) }

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
    /// Each import flow's source: its local inbox (created now), or its folder on a partner's
    /// server, which remembers what it fetched in the ledger.
    static func sources(_ config: GatewayConfig, ledger: Ledger, links: PartnerLinks, logger: Logger) throws -> [String: any FileSource] {
        var sources: [String: any FileSource] = [:]
        for flow in config.flows {
            let workArea = FileNames.workArea(of: flow.name, in: config.processingDirectory)
            if let remote = flow.remote, let partner = config.partner(named: remote.partner) {
                sources[flow.name] = PartnerFolder(
                    partner: partner.name, partnerDirectory: partner.directory, folder: remote.directory, location: remote.description, rules: flow.rules,
                    afterPickup: flow.afterPickup, workArea: workArea, flow: flow.name, links: links,
                    memory: LedgerPickupMemory(ledger: ledger, flow: flow.name), logger: logger)
            } else if let path = flow.localInbox(config) {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                sources[flow.name] = LocalInbox(path: path, location: config.display(path), rules: flow.rules, logger: logger)
            }
        }
        return sources
    }

    /// Opens the ledger; when another program holds it locked, the error names that program.
    static func openLedger(_ path: String) throws -> Ledger {
        do {
            return try Ledger(path: path)
        } catch {
            guard error.kind == .locked else { throw error }
            var named = error
            named.heldBy = OpenWriters.describeHolders(of: path)
            throw named
        }
    }

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
