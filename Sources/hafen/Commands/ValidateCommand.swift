import ArgumentParser
import Foundation
import Formats
import Gateway
import Validation

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a file against a flow's schema and dialect, changing nothing.",
        discussion: "Exit codes: 0 valid, 1 invalid, 2 usage or configuration error.")

    @Argument(help: "The file to check.")
    var file: String

    @Option(help: "Use this flow's schema and dialect from the configuration.")
    var flow: String?

    @Option(help: "Use this Table Schema file instead of a flow.")
    var schema: String?

    @Option(help: "With --schema: the delimiter (, ; tab | or auto).")
    var delimiter = "auto"

    @Option(help: "With --schema: the encoding (utf-8, windows-1252, iso-8859-1, iso-8859-15).")
    var encoding = "utf-8"

    @Option(help: "With --schema: the quote character, or none.")
    var quote = "\""

    @Flag(help: "With --schema: the file has no header row.")
    var noHeader = false

    @Option(help: "Stop listing after this many problems (all are counted).")
    var maxProblems = 10_000

    @Option(name: .shortAndLong, help: "The configuration file (with --flow).")
    var config = "hafen.yaml"

    @OptionGroup var output: OutputOptions

    func run() throws {
        let target = try resolve()
        do {
            _ = try FileInput(path: file)
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
        let result: TableCheckResult
        do {
            switch target {
            case .flow(let flowConfig):
                result = try FileValidation.run(path: file, flow: flowConfig, diagnosticCap: maxProblems)
            case .schema(let tableSchema, let dialect):
                result = try FileValidation.run(path: file, schema: tableSchema, dialect: dialect, diagnosticCap: maxProblems)
            }
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
        if output.json {
            for diagnostic in result.diagnostics.kept { try Output.json(diagnostic, pretty: false) }
        } else {
            for diagnostic in result.diagnostics.kept { Output.line(DiagnosticFormatter.line(for: diagnostic)) }
            if result.diagnostics.total > result.diagnostics.kept.count {
                Output.line("… and \(result.diagnostics.total - result.diagnostics.kept.count) more problems")
            }
            let verdict = result.diagnostics.errorCount == 0 ? "valid" : "INVALID"
            Output.line("\(file): \(verdict): \(result.rowsRead) rows, \(result.rowsValid) valid, \(result.rowsRejected) rejected, \(result.diagnostics.total) problems")
        }
        if result.diagnostics.errorCount > 0 { throw ExitCode(1) }
    }

    /// What to check against: a configured flow, or a schema and dialect given here.
    private enum Target {
        case flow(FlowConfig)
        case schema(TableSchema, CSVDialect)
    }

    private func resolve() throws -> Target {
        switch (flow, schema) {
        case (let name?, nil):
            let loaded: GatewayConfig
            do {
                loaded = try ConfigLoader.load(path: config)
            } catch {
                Output.error("\(error)")
                throw ExitCode(2)
            }
            guard let flowConfig = loaded.flow(named: name) else {
                Output.error("no flow named \"\(name)\" in \(config) (flows: \(loaded.flows.map(\.name).joined(separator: ", ")))")
                throw ExitCode(2)
            }
            return .flow(flowConfig)
        case (nil, let path?):
            guard let delimiterByte = CSVDialect.delimiter(named: delimiter) else {
                Output.error("--delimiter must be one character, tab or auto")
                throw ExitCode(2)
            }
            guard let textEncoding = TextEncoding(name: encoding) else {
                Output.error("--encoding: unknown encoding \"\(encoding)\"; use one of \(TextEncoding.acceptedNames)")
                throw ExitCode(2)
            }
            var dialect = CSVDialect(delimiter: delimiterByte, quote: quote == "none" ? nil : quote.utf8.first, header: !noHeader)
            dialect.encoding = textEncoding
            return .schema(try loadSchema(path), dialect)
        default:
            Output.error("give either --flow NAME or --schema PATH")
            throw ExitCode(2)
        }
    }

    private func loadSchema(_ path: String) throws -> TableSchema {
        do {
            let schema = try TableSchema.load(path: path)
            _ = try TableValidator(schema: schema, file: file)
            return schema
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
    }
}
