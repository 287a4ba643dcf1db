import Formats
import Foundation
import Ledger
import Logging
import Mapping
import Shops
import Validation

/// The plan + push stage: a file's shop objects planned against what each of its flow's shops
/// last accepted, and the differences sent; shipments become fulfillments. What a shop accepts
/// is recorded in the ledger as it goes.
struct PushStage {
    let config: GatewayConfig
    let ledger: Ledger
    let shops: [String: any Shop]
    let logger: Logger
    let events: GatewayEvents

    /// Plans the file against each of the flow's shops and sends what changed; adds a
    /// diagnostic per refused object and per failed shop.
    func push(_ mapped: MappingResult, flow: FlowConfig, entryID: Int64, sha: String, complete: Bool, file: String,
              diagnostics: inout DiagnosticLog) async throws -> PushOutcome {
        guard let spec = flow.mapping else { return PushOutcome() }
        if spec.target == .shipments { return try await pushShipments(mapped, flow: flow, entryID: entryID, file: file, diagnostics: &diagnostics) }
        var outcome = PushOutcome()
        var pushedRows = Set<Int>()
        var unchangedCount: [String: (rows: [Int], shops: Int)] = [:]
        for name in flow.shops {
            guard let shop = shops[name], let shopConfig = config.shop(named: name) else { continue }
            let planStarted = ContinuousClock.now
            let plan = try Planner.plan(mapped, spec: spec, shop: name, ledger: ledger, complete: complete)
            let planTime = ContinuousClock.now - planStarted
            logger.debug("planned", metadata: ["shop": "\(name)", "items": "\(plan.items.count)", "took": "\(planTime)"])
            let pusher = ShopPusher(
                shop: shop, config: shopConfig, ledger: ledger, spec: spec, fileID: entryID, reference: String(sha.prefix(16)),
                skipUnknownSKUs: flow.skipUnknownSKUs)
            let started = ContinuousClock.now
            var (report, applied) = try await pusher.push(plan)
            let elapsed = ContinuousClock.now - started
            report.warnings = plan.warnings
            for item in plan.items {
                if applied.contains(item.kind + ":" + item.key) { pushedRows.formUnion(item.rows) }
                if item.action == .unchanged { unchangedCount[item.kind + ":" + item.key, default: (item.rows, 0)].shops += 1 }
            }
            for error in report.errors {
                diagnostics.append(Diagnostic(
                    error.refusal.diagnosticCode, at: Position(file: file, row: error.rows.first), field: error.field, value: error.key, rule: "shop \(name)",
                    message: "shop \(name) refused \(error.kind) \(error.key)\(error.code.map { " (\($0))" } ?? ""): \(error.message)"))
            }
            Self.reportShopState(report, file: file, what: "objects", into: &diagnostics)
            logger.info(
                "pushed", metadata: ["shop": "\(name)", "created": "\(report.created)", "updated": "\(report.updated)", "unchanged": "\(report.unchanged)",
                                     "refused": "\(report.refused)", "calls": "\(report.statistics.apiCalls)", "cost": "\(report.statistics.costPoints)",
                                     "waited_ms": "\(report.statistics.throttledMilliseconds)", "took": "\(elapsed)"])
            outcome.reports.append(report)
            events.publish(.pushed(flow: flow.name, file: entryID, report: report))
        }
        outcome.rowsPushed = pushedRows.count
        outcome.rowsUnchanged = Set(unchangedCount.values.filter { $0.shops == outcome.reports.count }.flatMap(\.rows)).count
        return outcome
    }

    /// A diagnostic for a shop that failed as a whole, and a warning for blocked writes.
    static func reportShopState(_ report: PushReport, file: String, what: String, into diagnostics: inout DiagnosticLog) {
        if let failure = report.failure {
            diagnostics.append(Diagnostic(.shopUnavailable, at: Position(file: file), rule: "shop \(report.shop)", message: failure))
        }
        if report.writesBlocked {
            diagnostics.append(Diagnostic(
                .writesBlocked, at: Position(file: file), rule: "shop \(report.shop)", severity: .warning,
                message: "writes to shop \(report.shop) are blocked: \(report.notSent) \(what) not sent"))
        }
    }
}
