import ArgumentParser
import Foundation
import Logging
import ShopSimulator

/// `hafen-simulator` (started by `hafen simulator`): a program of its own, so the gateway's
/// binary does not carry the web server and GraphQL engine only the simulator needs.
struct SimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hafen simulator",
        abstract: "Run a local Shopify shop simulator (Admin GraphQL API 2026-07) for the demo and tests.",
        discussion: """
            Serves POST /admin/api/<version>/graphql.json with the X-Shopify-Access-Token header. Every call is validated \
            against the schema (a bundled subset of Shopify's 2026-07 schema, or --schema), rate-limited like Shopify \
            (cost-based bucket) and answered with Shopify's semantics. Admin routes: GET /admin/state, /admin/inventory, \
            /admin/products; POST /admin/reset, /admin/faults. Stops on SIGTERM or SIGINT.
            """)

    @Option(help: "Address to listen on (keep it on loopback).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port = 8790

    @Option(help: "The access token calls must carry (default: $HAFEN_SIMULATOR_TOKEN, else shpat_simulator).")
    var token: String?

    @Option(help: "The simulated plan's rate limit: standard (2000 points, 100/s), advanced (4000, 200/s), plus (20000, 1000/s), enterprise (40000, 2000/s).")
    var plan = "standard"

    @Option(help: "Bucket size in cost points (overrides the plan's).")
    var bucket: Double?

    @Option(help: "Points restored per second (overrides the plan's).")
    var restoreRate: Double?

    /// Restore rates per plan (Shopify's table); the bucket observed is 20 × the restore rate.
    static let plans: [String: Double] = ["standard": 100, "advanced": 200, "plus": 1000, "enterprise": 2000]

    func validate() throws {
        guard Self.plans[plan] != nil else { throw ValidationError("--plan must be standard, advanced, plus or enterprise") }
        if let bucket, bucket < 1 { throw ValidationError("--bucket must be at least 1") }
        if let restoreRate, restoreRate <= 0 { throw ValidationError("--restore-rate must be positive") }
        if webhookURL != nil, webhookSecret == nil, ProcessInfo.processInfo.environment["HAFEN_WEBHOOK_SECRET"] == nil {
            throw ValidationError("--webhook-url needs --webhook-secret (or $HAFEN_WEBHOOK_SECRET) to sign with")
        }
    }

    @Option(help: "Comma-separated location names the shop has.")
    var locations = "Hauptlager,Außenlager"

    @Option(help: "A full Admin GraphQL schema (SDL) to validate against instead of the bundled subset.")
    var schema: String?

    @Option(help: "Send order webhooks (orders/create, orders/paid, orders/updated, orders/cancelled) to this URL.")
    var webhookURL: String?

    @Option(help: "The app secret webhooks are signed with (default: $HAFEN_WEBHOOK_SECRET).")
    var webhookSecret: String?

    @Option(help: "Write the bound port to this file once listening (for scripts and tests).")
    var portFile: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "notice"

    func run() async throws {
        let token = token ?? ProcessInfo.processInfo.environment["HAFEN_SIMULATOR_TOKEN"] ?? "shpat_simulator"
        let planRate = Self.plans[plan] ?? 100
        let options = SimulatorOptions(
            host: host, port: port, token: token, bucketSize: bucket ?? planRate * 20, restoreRate: restoreRate ?? planRate,
            locations: locations.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }, schemaPath: schema,
            webhookURL: webhookURL, webhookSecret: webhookSecret ?? ProcessInfo.processInfo.environment["HAFEN_WEBHOOK_SECRET"])
        let simulator: ShopSimulator
        do {
            simulator = try ShopSimulator(options: options)
        } catch {
            FileHandle.standardError.write(Data("hafen simulator: cannot load the schema: \(error)\n".utf8))
            throw ExitCode(2)
        }
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: "hafen.simulator")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .notice
        let portFile = portFile
        let host = host
        try await simulator.run(logger: logger) { port in
            if let portFile {
                // Written aside and renamed, so a reader never sees a half-written number.
                try? Data("\(port)\n".utf8).write(to: URL(fileURLWithPath: portFile + ".tmp"))
                _ = Foundation.rename(portFile + ".tmp", portFile)
            }
            print("shop simulator listening on http://\(host):\(port)/admin/api/2026-07/graphql.json")
        }
    }
}
