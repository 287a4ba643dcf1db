import Foundation

/// The whole configuration (`hafen.yaml`): folders and flows. Relative paths are taken from the
/// folder that holds the configuration file.
public struct GatewayConfig: Sendable {
    public var file: String
    /// The folder relative paths start from.
    public var root: String
    public var stateDirectory: String
    public var archiveDirectory: String
    public var failedDirectory: String
    public var receiptsDirectory: String
    /// Files a safety valve stopped, waiting for `hafen approve`.
    public var heldDirectory = "held"
    public var rescanInterval: Duration
    /// How many diagnostics a receipt keeps (all are counted).
    public var diagnosticCap: Int
    public var flows: [FlowConfig]
    public var shops: [ShopConfig] = []
    /// SFTP partners that flows fetch from and exports deliver to (`partners:`).
    public var partners: [PartnerConfig] = []
    /// Where `hafen run` listens for webhooks and health checks (`server: {listen: 127.0.0.1:8787}`);
    /// nil: no HTTP server.
    public var server: ServerConfig?
    /// Export flows: shop objects → ERP files (`exports:`).
    public var exports: [ExportConfig] = []

    public var ledgerPath: String { absolute(stateDirectory) + "/ledger.sqlite" }
    public var processingDirectory: String { absolute(stateDirectory) + "/processing" }
    public var lockPath: String { absolute(stateDirectory) + "/lock" }

    /// An absolute path for a configured one.
    public func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (root as NSString).appendingPathComponent(path)
    }

    /// A path as shown to people: relative to the root where possible.
    public func display(_ path: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    public func shop(named name: String) -> ShopConfig? {
        shops.first { $0.name == name }
    }

    public func partner(named name: String) -> PartnerConfig? {
        partners.first { $0.name == name }
    }

    public func export(named name: String) -> ExportConfig? {
        exports.first { $0.name == name }
    }

    public func flow(named name: String) -> FlowConfig? {
        flows.first { $0.name == name }
    }
}

/// The daemon's HTTP server: the webhook receiver and `/health`.
public struct ServerConfig: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// Connections served at once; more wait in the listen backlog. Keeps descriptors for the
    /// gateway's own files however many clients connect.
    public var maxConnections: Int = 256
    /// How long a client may take to send one whole request (head and body), and how long an
    /// idle keep-alive connection stays open: slow senders are cut off, not waited for.
    public var requestTimeout: Duration = .seconds(10)
    /// The largest request body taken (Shopify's webhooks are a few kilobytes); a larger one is
    /// answered 413 before it is read.
    public var maxBody: Int = 1 << 20
    /// Request bytes held in memory at once over all connections (32 bodies of the largest
    /// size); beyond it, 503 (Shopify delivers again later).
    public var bufferBudget: Int = 32 << 20

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}
