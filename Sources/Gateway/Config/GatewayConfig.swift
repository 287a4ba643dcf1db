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

    public func flow(named name: String) -> FlowConfig? {
        flows.first { $0.name == name }
    }
}
