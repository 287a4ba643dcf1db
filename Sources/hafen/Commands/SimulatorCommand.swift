import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `hafen simulator …` runs `hafen-simulator …` from the same folder (see its `--help`): the
/// simulator is a program of its own, so the gateway does not carry its web server.
struct SimulatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator",
        abstract: "Run a local Shopify shop simulator (Admin GraphQL API 2026-07) for the demo and tests (see: hafen simulator --help).")

    @Argument(parsing: .allUnrecognized, help: "Options for the simulator: --port, --token, --plan, --schema, … (hafen simulator --help).")
    var arguments: [String] = []

    @Flag(name: .shortAndLong, help: "Show the simulator's options.")
    var help = false

    /// The `hafen-simulator` beside this executable.
    static var programPath: String {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent("hafen-simulator").path
    }

    func run() throws {
        let program = Self.programPath
        guard FileManager.default.isExecutableFile(atPath: program) else {
            Output.error("the simulator program is missing: \(program) (build it with `swift build`)")
            throw ExitCode(2)
        }
        // Replaced by the simulator: same process, so signals and the pid reach it directly.
        let argv = ([program] + arguments + (help ? ["--help"] : [])).map { strdup($0) } + [nil]
        execv(program, argv)
        Output.error("cannot start \(program): \(String(cString: strerror(errno)))")
        throw ExitCode(2)
    }
}
