import ArgumentParser
import Gateway
import Ledger

struct FilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "files", abstract: "List files from the ledger, newest first.")

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Only this flow.")
    var flow: String?

    @Option(help: "Only this state: received, processing, done, partial, failed, duplicate.")
    var state: String?

    @Option(help: "At most this many.")
    var limit = 50

    func run() throws {
        let config = try options.load()
        var fileState: FileState?
        if let state {
            guard let parsed = FileState(rawValue: state) else {
                Output.error("--state must be one of \(FileState.allCases.map(\.rawValue).joined(separator: ", "))")
                throw ExitCode(2)
            }
            fileState = parsed
        }
        let files = try LedgerAccess.open(config).files(flow: flow, state: fileState, limit: limit)
        if output.json {
            try Output.json(files)
            return
        }
        var rows = [["ID", "STATE", "FLOW", "NAME", "ROWS", "REJECTED", "RECEIVED", "SHA256"]]
        for f in files {
            rows.append([String(f.id), f.state.rawValue, f.flow, f.name, f.rowsRead.map(String.init) ?? "-",
                         f.rowsRejected.map(String.init) ?? "-", Output.time(f.receivedAt), String((f.sha256 ?? "-").prefix(12))])
        }
        Output.table(rows)
        if files.isEmpty { Output.line("no files") }
    }
}
