import Foundation
public import Gateway
public import Logging

/// A gateway in a temporary folder with the project's schemas and a `hafen.yaml` of two flows
/// (`products`: reject-file, `stock`: skip-rows), both Windows-1252 with `;`, settling at once.
public final class GatewayHarness {
    public let dir: TemporaryDirectory
    public let configPath: String

    /// - Parameter top: top-level settings put before `flows:` (e.g. a `shops:` section).
    public init(settle: String = "0s", extraStock: String = "", extraProducts: String = "", top: String = "") throws {
        dir = try TemporaryDirectory("gateway")
        for schema in ["products.schema.json", "stock.schema.json"] {
            try FileManager.default.copyItem(atPath: SharedFolder.projectRoot + "/schemas/" + schema, toPath: dir.file("schemas/" + schema))
        }
        configPath = try dir.write(
            (top.isEmpty ? "" : top + "\n") + """
            flows:
              products:
                source: inbox/products/*.csv
                schema: schemas/products.schema.json
                dialect: {delimiter: ";", encoding: windows-1252}
                settle: \(settle)
            \(extraProducts)
              stock:
                source: inbox/stock/*.csv
                schema: schemas/stock.schema.json
                dialect: {delimiter: ";", encoding: windows-1252}
                settle: \(settle)
                on_error: skip-rows
            \(extraStock)
            """, to: "hafen.yaml")
    }

    public func config() throws -> GatewayConfig { try ConfigLoader.load(path: configPath) }

    public func gateway(events: GatewayEvents = GatewayEvents()) throws -> Gateway {
        try Gateway(config: config(), logger: Self.quietLogger, events: events)
    }

    /// A logger that says only what is critical.
    public static var quietLogger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    /// Copies a sample from the project's `samples/` into a flow's inbox (optionally renamed).
    @discardableResult
    public func drop(sample: String, into flow: String, as name: String? = nil) throws -> String {
        let target = dir.file("inbox/\(flow)/\(name ?? sample)")
        try FileManager.default.copyItem(atPath: SharedFolder.projectRoot + "/samples/" + sample, toPath: target)
        return target
    }

    /// Writes Windows-1252 text into a flow's inbox.
    @discardableResult
    public func drop(text: String, into flow: String, as name: String) throws -> String {
        try dir.write(Array(text.data(using: .windowsCP1252)!), to: "inbox/\(flow)/\(name)")
    }

    /// Runs the built `hafen` binary in the harness folder.
    public func hafen(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        try ProcessRunner.run(HafenBinary.path, arguments + ["-c", configPath], in: dir.path, environment: environment)
    }
}

/// The `hafen` executable the tests run: `HAFEN_BINARY`, or the debug build beside the tests.
public enum HafenBinary {
    public static var path: String {
        ProcessInfo.processInfo.environment["HAFEN_BINARY"] ?? SharedFolder.projectRoot + "/.build/debug/hafen"
    }
}

/// The Python of the test tools (`make tools`: frictionless, graphql-core, asyncssh).
public enum TestPython {
    public static var path: String {
        ProcessInfo.processInfo.environment["HAFEN_PYTHON"] ?? SharedFolder.projectRoot + "/.build-venv/bin/python"
    }
}
