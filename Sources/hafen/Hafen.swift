import ArgumentParser
import Foundation

/// The `hafen` command line: the daemon and the admin's tools.
struct Hafen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hafen",
        abstract: "A file-based EDI/CSV batch gateway between ERPs and web shops.",
        discussion: "Exit codes: 0 all good, 1 some file or record failed, 2 usage or configuration error.",
        version: "0.1.0",
        subcommands: [RunCommand.self, ValidateCommand.self, MapCommand.self, PlanCommand.self, ApproveCommand.self, StatusCommand.self, FilesCommand.self, ShowCommand.self, TransfersCommand.self, ReprocessCommand.self, ExportCommand.self, ReexportCommand.self, SimulatorCommand.self]
    )
}

@main
enum Main {
    /// The command's arguments. The Swift runtime finds them through `environ`, which a
    /// preloaded library that calls `setenv` first (libfaketime does) moves off the stack, and
    /// then sees none (swiftlang/swift#76080): the kernel's copy in /proc is read instead.
    static var arguments: [String] {
        guard CommandLine.arguments.isEmpty, let data = FileManager.default.contents(atPath: "/proc/self/cmdline") else {
            return Array(CommandLine.arguments.dropFirst())
        }
        // "run\0--once\0": each argument ends with a NUL; an empty one stays.
        var parts = data.split(separator: 0, omittingEmptySubsequences: false)
        if data.last == 0 { parts.removeLast() }
        return parts.dropFirst().map { String(decoding: $0, as: UTF8.self) }
    }

    static func main() async {
        do {
            var command = try Hafen.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = Hafen.exitCode(for: error)
            if code == .success {
                print(Hafen.fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data(("hafen: " + Hafen.fullMessage(for: error) + "\n").utf8))
            // Usage mistakes (ArgumentParser's 64) and our config errors are both exit code 2.
            Foundation.exit(code == .validationFailure || code.rawValue == 64 ? 2 : code.rawValue)
        }
    }
}
