import ArgumentParser
import Foundation
import Gateway
import Logging

/// Options every command that reads `hafen.yaml` shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "The configuration file.")
    var config = "hafen.yaml"

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    /// Loads the configuration or ends with exit code 2 and the key and line at fault.
    func load() throws -> GatewayConfig {
        do {
            return try ConfigLoader.load(path: config)
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
    }

    func logger() -> Logger {
        var logger = Logger(label: "hafen")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        return logger
    }

    /// Opens the gateway (ledger, schemas) or ends with exit code 2.
    func gateway(_ config: GatewayConfig) throws -> Gateway {
        do {
            return try Gateway(config: config, logger: logger())
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
    }
}

/// `--json` for commands that print listings.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON for scripts instead of text.")
    var json = false
}
