import ArgumentParser
import Foundation

/// Runs `SimulatorCommand` with Hafen's exit codes: usage mistakes are 2, as for `hafen`.
@main
enum SimulatorMain {
    static func main() async {
        do {
            var command = try SimulatorCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = SimulatorCommand.exitCode(for: error)
            if code == .success {
                print(SimulatorCommand.fullMessage(for: error))
                exit(0)
            }
            FileHandle.standardError.write(Data(("hafen simulator: " + SimulatorCommand.fullMessage(for: error) + "\n").utf8))
            exit(code == .validationFailure || code.rawValue == 64 ? 2 : code.rawValue)
        }
    }
}
