import ArgumentParser
import Foundation
import Formats
import Gateway
import Ledger
import Mapping

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Dry run: what a file would create, update (field by field) or leave alone in each of the flow's shops. Sends nothing.",
        discussion: "Compares with what the ledger says was last pushed. Exit codes: 0 planned, 1 some row was rejected, 2 usage or configuration error.")

    @OptionGroup var target: FlowFileArguments

    @Option(help: "Only this shop (default: every shop of the flow).")
    var shop: String?

    @Flag(help: "Also list the objects that are unchanged.")
    var all = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        let (config, flowConfig) = try target.load()
        let file = target.file, flow = target.flow
        guard let spec = flowConfig.mapping else {
            Output.error("flow \"\(flow)\" has no map: section, so it sends nothing to a shop")
            throw ExitCode(2)
        }
        guard spec.target != .shipments else {
            Output.error("flow \"\(flow)\" sends shipments, which are checked against each order when sent; hafen map \(flow) FILE shows what the file holds")
            throw ExitCode(2)
        }
        let shops = shop.map { [$0] } ?? flowConfig.shops
        guard !shops.isEmpty, shops.allSatisfy(flowConfig.shops.contains) else {
            Output.error(flowConfig.shops.isEmpty
                ? "flow \"\(flow)\" pushes to no shop (configure shops: and the flow's shops:)"
                : "flow \"\(flow)\" pushes to \(flowConfig.shops.joined(separator: ", ")), not \(shop ?? "")")
            throw ExitCode(2)
        }
        let preview: MappingPreview
        let plans: [Plan]
        do {
            preview = try MappingPreview.run(path: file, flow: flowConfig, diagnosticCap: config.diagnosticCap)
            // A ledger that does not exist yet has pushed nothing: plan without creating one.
            let ledger = FileManager.default.fileExists(atPath: config.ledgerPath) ? try Ledger(path: config.ledgerPath) : nil
            plans = try shops.map { name in
                try Planner.plan(
                    preview.result, spec: spec, shop: name, complete: preview.rowsRejected == 0,
                    states: { kind, keys in try ledger?.recordStates(shop: name, kind: kind, keys: keys) ?? [:] },
                    allStates: { kind in try ledger?.recordStates(shop: name, kind: kind) ?? [] })
            }
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
        if output.json {
            for plan in plans { try Output.json(plan, pretty: false) }
        } else {
            for plan in plans {
                Output.line("shop \(plan.shop)\(config.shop(named: plan.shop)?.writesEnabled == false ? " (writes blocked)" : ""): "
                    + "\(plan.creates) to create, \(plan.updates) to update, \(plan.unchanged) unchanged"
                    + (plan.deactivations > 0 ? ", \(plan.deactivations) to deactivate" : ""))
                for warning in plan.warnings { Output.line("  note: \(warning)") }
                for item in plan.items where all || item.action != .unchanged {
                    Output.line("  \(item.action.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(item.kind) \(item.key)  (row \(item.rows.map(String.init).joined(separator: ",")))")
                    for change in item.changes {
                        Output.line("      \(change.field): \(change.old.map { "\"\($0)\"" } ?? "–") → \(change.new.map { "\"\($0)\"" } ?? "–")")
                    }
                }
            }
            for diagnostic in preview.diagnostics.kept { Output.line(DiagnosticFormatter.line(for: diagnostic)) }
            if preview.rowsRejected > 0 { Output.line("\(preview.rowsRejected) rows rejected: they are not in the plan") }
        }
        if preview.rowsRejected > 0 { throw ExitCode(1) }
    }
}
