import ArgumentParser
import Gateway

/// A file and the flow to read it as, for the commands that preview what a flow would do.
struct FlowFileArguments: ParsableArguments {
    @Argument(help: "The file.")
    var file: String

    @Option(help: "The flow whose schema, dialect, map: and shops to use.")
    var flow: String

    @OptionGroup var options: ConfigOptions

    /// The configuration and the flow, or exit code 2 with the reason.
    func load() throws -> (GatewayConfig, FlowConfig) {
        let config = try options.load()
        guard let flowConfig = config.flow(named: flow) else {
            Output.error("no flow named \"\(flow)\" in \(options.config) (flows: \(config.flows.map(\.name).joined(separator: ", ")))")
            throw ExitCode(2)
        }
        return (config, flowConfig)
    }
}
