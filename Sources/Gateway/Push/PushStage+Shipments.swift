import Transport
import Commerce
import Crypto
import Foundation
import Formats
import Ledger
import Logging
import Mapping
import Shops

/// Shipment files (`to: shipments`): each shipment becomes a fulfillment of its order in every
/// shop of the flow, with tracking. A shipment is sent once: the ledger remembers it by order
/// and tracking number as soon as the shop made it, and the shop's own fulfillments are checked
/// for the tracking number before anything is sent (`fulfillmentCreate` takes no idempotency key).
extension PushStage {
    func pushShipments(_ mapped: MappingResult, flow: FlowConfig, entryID: Int64, file: String, diagnostics: inout DiagnosticLog) async throws
        -> PushOutcome
    {
        var outcome = PushOutcome()
        var pushedRows = Set<Int>()
        var unchangedRows: [Int: Int] = [:]
        for name in flow.shops {
            guard let shop = shops[name], let shopConfig = config.shop(named: name) else { continue }
            var report = PushReport(shop: name)
            let before = await shop.statistics()
            let known = try ledger.recordStates(shop: name, kind: "shipment", keys: mapped.shipments.map(\.shipment.key))
            for (index, item) in mapped.shipments.enumerated() {
                let shipment = item.shipment
                if known[shipment.key] != nil {
                    report.unchanged += 1
                    for row in item.rows { unchangedRows[row, default: 0] += 1 }
                    continue
                }
                let result: ShipmentResult
                do {
                    result = try await ship(item, shop: shop, named: name, writes: shopConfig.writesEnabled, fileID: entryID)
                } catch {
                    report.failure = "\(error)"
                    report.notSent = mapped.shipments.count - index
                    break
                }
                switch result {
                case .sent(let ids):
                    CrashPoint.shipped.reach()
                    // Recorded at once, not with the file's others: a crash later in the file
                    // must not leave this one unknown (without a tracking number, the shop
                    // could not tell either).
                    try ledger.recordPushed([record(shipment, shop: name, ids: ids, fileID: entryID)])
                    report.created += 1
                    pushedRows.formUnion(item.rows)
                case .sentBefore:
                    report.unchanged += 1
                    for row in item.rows { unchangedRows[row, default: 0] += 1 }
                    try ledger.recordPushed([record(shipment, shop: name, ids: [:], fileID: entryID)])
                case .blocked:
                    report.writesBlocked = true
                    report.notSent += 1
                case .problems(let problems):
                    report.refused += 1
                    for problem in problems {
                        diagnostics.append(Diagnostic(
                            problem.refusal.diagnosticCode, at: Position(file: file, line: problem.line, row: problem.row), field: problem.field, value: problem.value,
                            rule: "shop \(name)", message: "shop \(name): \(problem.message)"))
                        report.errors.append(.init(
                            shop: name, kind: "shipment", key: shipment.key, rows: item.rows, refusal: problem.refusal, field: problem.field, message: problem.message))
                    }
                }
            }
            report.statistics = await shop.statistics().since(before)
            Self.reportShopState(report, file: file, what: "shipments", into: &diagnostics)
            logger.info(
                "shipped", metadata: ["shop": "\(name)", "sent": "\(report.created)", "before": "\(report.unchanged)", "refused": "\(report.refused)",
                                      "calls": "\(report.statistics.apiCalls)"])
            outcome.reports.append(report)
            events.publish(.pushed(flow: flow.name, file: entryID, report: report))
        }
        outcome.rowsPushed = pushedRows.count
        outcome.rowsUnchanged = unchangedRows.filter { $0.value == outcome.reports.count && !pushedRows.contains($0.key) }.count
        return outcome
    }

    private func record(_ shipment: Shipment, shop: String, ids: [String: String], fileID: Int64) -> RecordState {
        let content = shipment.lines.map { "\($0.sku)×\($0.quantity)" }.joined(separator: ",")
        return RecordState(
            shop: shop, kind: "shipment", key: shipment.key, contentHash: SHA256.hash(data: Array(content.utf8)).hex, content: content, remoteIDs: ids,
            pushedAt: Date(), fileID: fileID)
    }

    /// One problem with a shipment, positioned at the row it concerns.
    struct ShipmentProblem {
        var refusal: PushReport.Refusal
        var row: Int
        var line: Int?
        var field: String
        var value: String?
        var message: String
    }

    enum ShipmentResult {
        /// Fulfillment ids by fulfillment order.
        case sent([String: String])
        /// The shop has a fulfillment with this tracking number already.
        case sentBefore
        case blocked
        case problems([ShipmentProblem])
    }

    /// Finds the order, checks the shipment against what it still has to ship (all of it, or
    /// nothing is sent), and creates one fulfillment per fulfillment order it touches. One
    /// without a tracking number is noted in the ledger first (`ShipmentIntent`), so an attempt
    /// a crash interrupted is told apart from one that never left.
    private func ship(_ item: MappedShipment, shop: any Shop, named name: String, writes: Bool, fileID: Int64) async throws -> ShipmentResult {
        let shipment = item.shipment
        guard let target = try await shop.shipmentTarget(orderName: shipment.order) else {
            return .problems([ShipmentProblem(
                refusal: .unknownOrder, row: item.rows[0], line: item.line, field: "shipment.order", value: shipment.order,
                message: "there is no order \(shipment.order)")])
        }
        if let number = shipment.trackingNumber, target.trackingNumbers.contains(number) { return .sentBefore }
        var requests: FulfillmentRequests
        if shipment.trackingNumber == nil, let noted = try ledger.recordStates(shop: name, kind: ShipmentIntent.kind, keys: [shipment.key])[shipment.key],
           let intent = ShipmentIntent(noted)
        {
            switch intent.resumption(target) {
            case .sent:
                logger.notice("a shipment interrupted while it was sent had reached the shop", metadata: ["order": "\(shipment.order)", "shop": "\(name)"])
                return .sentBefore
            case .uncertain(let before, let quantity, let now):
                return .problems([ShipmentProblem(
                    refusal: .shipmentUncertain, row: item.rows[0], line: item.line, field: "shipment", value: shipment.order,
                    message: "order \(shipment.order): sending this shipment was interrupted, and a line it ships has changed since (\(before) left to ship, "
                        + "the shipment takes \(quantity), now \(now) left); it may or may not be in the shop, so it is not sent again")])
            case .unsent(let parts):
                requests = parts
            }
        } else {
            let allocation = Self.allocate(shipment, to: target, item: item)
            if !allocation.problems.isEmpty { return .problems(allocation.problems) }
            requests = allocation.requests
        }
        guard writes else { return .blocked }
        if shipment.trackingNumber == nil {
            try ledger.recordPushed([ShipmentIntent(requests: requests, target: target).record(shop: name, key: shipment.key, fileID: fileID)])
        }
        var ids: [String: String] = [:]
        for (fulfillmentOrderID, lines) in requests.orders {
            let request = FulfillmentRequest(
                fulfillmentOrderID: fulfillmentOrderID, lines: lines, company: shipment.carrier, trackingNumber: shipment.trackingNumber,
                trackingURL: shipment.trackingURL, notifyCustomer: shipment.notifyCustomer)
            let outcome: FulfillmentOutcome
            switch await Self.fulfil(request, in: shop) {
            case .success(let answer):
                outcome = answer
            case .failure(.outcomeUnknown(let shopName, let detail)):
                // The shop may have made it: its tracking numbers tell (without one, the noted
                // intent does, at the next attempt).
                if let number = shipment.trackingNumber, let again = try await shop.shipmentTarget(orderName: shipment.order),
                   again.trackingNumbers.contains(number)
                {
                    ids[fulfillmentOrderID] = "unknown"
                    continue
                }
                throw ShopError.outcomeUnknown(shop: shopName, detail: detail)
            case .failure(let error):
                throw error
            }
            switch outcome {
            case .created(let id):
                ids[fulfillmentOrderID] = id
            case .refused(let messages):
                return .problems(messages.map {
                    ShipmentProblem(refusal: .shop("REFUSED"), row: item.rows[0], line: item.line, field: "shipment", value: shipment.order, message: "order \(shipment.order): \($0)")
                })
            }
        }
        return .sent(ids)
    }

    private static func fulfil(_ request: FulfillmentRequest, in shop: any Shop) async -> Result<FulfillmentOutcome, ShopError> {
        do throws(ShopError) {
            return .success(try await shop.fulfill(request))
        } catch {
            return .failure(error)
        }
    }

    /// Spreads the shipment's quantities over the open fulfillment order lines with its SKUs
    /// (or takes every open line when it names none); what does not fit is a problem.
    static func allocate(_ shipment: Shipment, to target: ShipmentTarget, item: MappedShipment)
        -> (requests: FulfillmentRequests, problems: [ShipmentProblem])
    {
        var remaining = target.lines.map(\.remaining)
        var taken: [(line: Int, quantity: Int)] = []
        var problems: [ShipmentProblem] = []
        if shipment.lines.isEmpty {
            for (index, line) in target.lines.enumerated() where line.remaining > 0 { taken.append((index, line.remaining)) }
            if taken.isEmpty {
                problems.append(ShipmentProblem(
                    refusal: .overShipped, row: item.rows[0], line: item.line, field: "shipment.order", value: shipment.order,
                    message: "order \(shipment.order) has nothing left to ship"))
            }
        }
        for line in shipment.lines {
            var wanted = line.quantity
            for (index, open) in target.lines.enumerated() where open.sku == line.sku && remaining[index] > 0 && wanted > 0 {
                let quantity = min(wanted, remaining[index])
                remaining[index] -= quantity
                wanted -= quantity
                taken.append((index, quantity))
            }
            guard wanted > 0 else { continue }
            let left = line.quantity - wanted
            let message = target.lines.contains { $0.sku == line.sku } || left > 0
                ? "order \(shipment.order) has \(left) of \(line.sku) left to ship; the file ships \(line.quantity)"
                : "order \(shipment.order) has no \(line.sku) left to ship (not ordered, or shipped or refunded already)"
            problems.append(ShipmentProblem(
                refusal: .overShipped, row: line.row, line: line.line, field: "shipment.quantity", value: String(line.quantity), message: message))
        }
        var requests = FulfillmentRequests()
        for (index, quantity) in taken {
            requests.add(target.lines[index].id, quantity: quantity, of: target.lines[index].fulfillmentOrderID)
        }
        return (requests, problems)
    }
}
