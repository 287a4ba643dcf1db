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
}
