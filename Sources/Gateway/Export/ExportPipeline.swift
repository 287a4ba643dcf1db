import Commerce
public import Foundation
import Ledger
import Logging
import ServiceLifecycle
import Shops
import XML

/// The export side: collect orders, refunds and customers from the shop (by polling from a
/// stored cursor, a date range or the ids webhooks named), decide per object version what to
/// write, write it, and queue it for a partner. Used from one task at a time, like `Gateway`,
/// which hands its export calls here.
public final class ExportPipeline {
    let config: GatewayConfig
    let ledger: Ledger
    let shops: [String: any Shop]
    let logger: Logger
    let events: GatewayEvents
    /// Where files for partners are queued and sent.
    let deliveries: Deliveries
    /// When each export flow last polled (in this process; the first poll is at start).
    var lastPolls: [String: ContinuousClock.Instant] = [:]
    var lastAcknowledgementCheck: ContinuousClock.Instant?

    init(config: GatewayConfig, ledger: Ledger, shops: [String: any Shop], logger: Logger, events: GatewayEvents, deliveries: Deliveries) {
        self.config = config
        self.ledger = ledger
        self.shops = shops
        self.logger = logger
        self.events = events
        self.deliveries = deliveries
    }
}

extension ExportPipeline {
    /// One poll of a flow: orders changed since the stored cursor (minus the overlap window), or
    /// since `start` ago on the first run. The cursor moves on only after what it passes is
    /// recorded.
    public func poll(_ flow: ExportConfig) async throws -> ExportRun {
        let now = Date()
        var from = now.addingTimeInterval(-Self.seconds(flow.start))
        if let cursor = try ledger.cursor(flow: flow.name), let last = ShopTime.date(cursor.updatedAt) {
            from = last.addingTimeInterval(-Self.seconds(flow.overlap))
        }
        return try await export(flow, from: from, to: nil, movesCursor: true)
    }

    /// Orders changed between two times (`hafen export orders --since … --until …`): a backfill.
    /// Versions already exported are not written again; the polling cursor stays where it is.
    public func export(_ flow: ExportConfig, from: Date, to: Date?) async throws -> ExportRun {
        try await export(flow, from: from, to: to, movesCursor: false)
    }

    private func export(_ flow: ExportConfig, from: Date, to: Date?, movesCursor: Bool) async throws -> ExportRun {
        try await exportRun(flow, movesCursor: movesCursor) { shop, progress in
            if flow.kind == .customers {
                try await collectCustomers(flow, from: from, to: to, shop: shop, into: &progress)
            } else if try await shop.countOrdersUpdated(from: from, to: to) > (config.shop(named: flow.shop)?.bulkThreshold ?? 100) {
                // Many changed orders are read in one bulk query (a few calls, outside the rate
                // limit); a few are read a page at a time.
                try await collectOrdersInBulk(flow, from: from, to: to, shop: shop, into: &progress)
            } else {
                try await collectOrderPages(flow, from: from, to: to, shop: shop, into: &progress)
            }
        }
    }

    /// The opening and closing every export run shares — a poll, a backfill, the orders
    /// webhooks named, a re-export: the shop, recovery of files a crash left, then `collect`,
    /// then the batch file, the manifest, the cursor, the run's statistics and log line, and the
    /// delivery of what was written to a partner.
    private func exportRun(
        _ flow: ExportConfig, movesCursor: Bool = false, collect: (any Shop, inout ExportProgress) async throws -> Void
    ) async throws -> ExportRun {
        let shop = try exportShop(flow)
        try recoverExports()
        let before = await shop.statistics()
        var progress = ExportProgress(run: ExportRun(flow: flow.name), movesCursor: movesCursor)
        // Reading may stop when the daemon does (a throttled poll waits seconds a call): what was
        // written stays recorded, the cursor stays at the last page written, the rest is read again.
        try await ShopStop.$requested.withValue(ShopStop.Condition { Task.isShuttingDownGracefully }) {
            try await collect(shop, &progress)
        }
        var run = progress.run
        try writeBatch(&progress.batch, flow: flow, run: &run)
        try writeManifest(run, flow: flow)
        if movesCursor, let newest = progress.newest { try ledger.setCursor(flow: flow.name, newest) }
        run.statistics = await shop.statistics().since(before)
        log(run)
        events.publish(.exported(flow: flow.name, files: run.files.count, collected: run.collected, failures: run.failures.count))
        if flow.deliversToPartner { await deliveries.deliverPending() }
        return run
    }

    private func collectCustomers(_ flow: ExportConfig, from: Date, to: Date?, shop: any Shop, into progress: inout ExportProgress) async throws {
        var after: String?
        repeat {
            let page = try await shop.customersUpdated(from: from, to: to, after: after)
            let last = page.customers.last.map { ExportCursor(updatedAt: ShopTime.text($0.updatedAt), objectID: $0.id) }
            try take(page.customers.map(ExportSubject.init(customer:)), read: page.customers.count, last: last, flow: flow, progress: &progress)
            after = page.next
        } while after != nil
    }

    private func collectOrdersInBulk(_ flow: ExportConfig, from: Date, to: Date?, shop: any Shop, into progress: inout ExportProgress) async throws {
        let orders = try await shop.ordersUpdatedInBulk(from: from, to: to)
        var start = 0
        while start < orders.count {
            let chunk = Array(orders[start..<min(start + 250, orders.count)])
            start += chunk.count
            let subjects = try await ExportSubject.subjects(of: chunk, flow: flow, shop: shop)
            try take(subjects, read: chunk.count, last: Self.cursor(chunk.last), flow: flow, progress: &progress)
        }
    }

    private func collectOrderPages(_ flow: ExportConfig, from: Date, to: Date?, shop: any Shop, into progress: inout ExportProgress) async throws {
        var after: String?
        repeat {
            let page = try await shop.ordersUpdated(from: from, to: to, after: after)
            let subjects = try await ExportSubject.subjects(of: page.orders, flow: flow, shop: shop)
            try take(subjects, read: page.orders.count, last: Self.cursor(page.orders.last), flow: flow, progress: &progress)
            after = page.next
        } while after != nil
    }

    static func cursor(_ order: Order?) -> ExportCursor? { order.map { ExportCursor(updatedAt: ShopTime.text($0.updatedAt), objectID: $0.id) } }

    /// Handles what one page (or chunk) brought. Per-order files are written as each is handled,
    /// so the cursor can follow; a batch file is written at the end, and the cursor only after it.
    private func take(_ subjects: [ExportSubject], read: Int, last: ExportCursor?, flow: ExportConfig, progress: inout ExportProgress) throws {
        progress.run.collected += read
        try handle(subjects, flow: flow, run: &progress.run, batch: &progress.batch)
        if let last { progress.newest = last }
        if progress.movesCursor, flow.file == .perOrder, let newest = progress.newest { try ledger.setCursor(flow: flow.name, newest) }
    }

    /// The orders (or, for a customer export, the customers) webhooks named, fetched one by one
    /// (a webhook's body is never trusted as the object: it is only the signal to fetch it).
    public func export(_ flow: ExportConfig, objectIDs: [String]) async throws -> ExportRun {
        try await exportRun(flow) { shop, progress in
            var subjects: [ExportSubject] = []
            if flow.kind == .customers {
                var customers: [Customer] = []
                for id in Set(objectIDs).sorted() {
                    if let customer = try await shop.customer(id: id) { customers.append(customer) }
                }
                progress.run.collected = customers.count
                subjects = customers.sorted { ($0.updatedAt, $0.id) < ($1.updatedAt, $1.id) }.map(ExportSubject.init(customer:))
            } else {
                var orders: [Order] = []
                for id in Set(objectIDs).sorted() {
                    if let order = try await shop.order(id: id) { orders.append(order) }
                }
                progress.run.collected = orders.count
                subjects = try await ExportSubject.subjects(of: orders.sorted { ($0.updatedAt, $0.id) < ($1.updatedAt, $1.id) }, flow: flow, shop: shop)
            }
            try handle(subjects, flow: flow, run: &progress.run, batch: &progress.batch)
        }
    }

    /// Writes an order again on an admin's request (`hafen reexport`), whatever was written
    /// before, recorded as a re-export. `reference` is the order's name (`#1001`, `1001`) as
    /// the flow exported it, or the shop's id. For a refunds export: a credit document's name
    /// (`#1001-G2`, that refund), or the order's (`#1001`, all its refunds) as an order export of
    /// the same shop recorded it, or the order's shop id. For a customer export: the customer's
    /// e-mail address as the flow exported it, or the shop's id.
    public func reexport(_ flow: ExportConfig, reference: String) async throws -> ExportRun {
        try await exportRun(flow) { shop, progress in
            let subjects = try await reexportSubjects(flow, reference: reference, shop: shop)
            progress.run.collected = 1
            let now = Date()
            let renderer = ExportRenderer(config: flow)
            do {
                for subject in subjects {
                    let rendered = try renderer.render(subject, now: now)
                    let rows = try renderer.rows(of: rendered, as: .reexport, subject: subject)
                    let version = subject.version + " reexport " + ShopTime.text(now)
                    let item = ExportBatch.Item(subject: subject, kind: .reexport, rows: rows, hash: rendered.hash, version: version)
                    if let layout = flow.xml {
                        let problems = ExportXMLDocument.problems(of: item, header: renderer.header, layout: layout, schema: layout.schema)
                        guard problems.isEmpty else { throw GatewayError.notReprocessable("order \(subject.name): " + problems.joined(separator: "; ")) }
                    }
                    if flow.file == .perOrder { try write([item], flow: flow, run: &progress.run, now: now) } else { progress.batch.items.append(item) }
                }
            } catch let failure as ExportRenderer.Failure {
                throw GatewayError.notReprocessable(failure.description)
            }
        }
    }

    /// What `hafen reexport` names: an order, refunds of one, or a customer.
    private func reexportSubjects(_ flow: ExportConfig, reference: String, shop: any Shop) async throws -> [ExportSubject] {
        if flow.kind == .customers {
            var id = reference
            if !ShopifyID.isGlobalID(reference) {
                guard let known = try ledger.exportObjectID(flow: flow.name, name: reference) else {
                    throw GatewayError.notFound("export \(flow.name) has no customer \(reference) in its ledger; give the shop's id (\(ShopifyID.customerExample)) instead")
                }
                id = known
            }
            guard let customer = try await shop.customer(id: id) else { throw GatewayError.notFound("shop \(flow.shop) has no customer \(id)") }
            return [ExportSubject(customer: customer)]
        }
        var id = reference
        var refundIndex: Int?
        if !ShopifyID.isGlobalID(reference) {
            var name = reference.hasPrefix("#") ? reference : "#" + reference
            if flow.kind == .refunds, let dash = name.range(of: "-G", options: .backwards), let index = Int(name[dash.upperBound...]) {
                refundIndex = index
                name = String(name[..<dash.lowerBound])
            }
            let flows = flow.kind == .orders ? [flow] : config.exports.filter { $0.kind == .orders && $0.shop == flow.shop }
            var known: String?
            for other in flows where known == nil { known = try ledger.exportObjectID(flow: other.name, name: name) }
            guard let known else {
                let whose = flow.kind == .orders ? "export \(flow.name) has" : "the order exports of shop \(flow.shop) have"
                throw GatewayError.notFound("\(whose) no order \(name) in the ledger; give the order's shop id (\(ShopifyID.orderExample)) instead")
            }
            id = known
        }
        guard let order = try await shop.order(id: id) else { throw GatewayError.notFound("shop \(flow.shop) has no order \(id)") }
        var subjects = try await ExportSubject.subjects(of: [order], flow: flow, shop: shop)
        if let refundIndex {
            subjects = subjects.filter {
                if case .refund(_, let index, _) = $0.content { return index == refundIndex }
                return false
            }
        }
        guard !subjects.isEmpty else {
            throw GatewayError.notFound("order \(order.name) has nothing for export \(flow.name) (\(refundIndex.map { "no refund G\($0)" } ?? "no refunds"))")
        }
        return subjects
    }

    /// Decides each subject's fate and writes (per-order files) or collects (batch) it.
    private func handle(_ subjects: [ExportSubject], flow: ExportConfig, run: inout ExportRun, batch: inout ExportBatch) throws {
        guard !subjects.isEmpty else { return }
        let history = try ledger.exportHistory(flow: flow.name, objectIDs: subjects.map(\.id))
        let renderer = ExportRenderer(config: flow)
        let now = Date()
        var records: [ExportRecord] = []
        for subject in subjects {
            let version = subject.version
            let rendered: ExportRenderer.Rendered
            do {
                rendered = try renderer.render(subject, now: now)
            } catch {
                if history[subject.id]?.contains(where: { $0.version == version }) == true {
                    run.seen += 1
                    continue
                }
                // Only what the flow wants is reported (a rejected order is no failure).
                if history[subject.id] == nil, subject.rejection(by: flow.filter) != nil {
                    run.filtered += 1
                    continue
                }
                run.failures.append(error.description)
                records.append(ExportRecord(
                    flow: flow.name, objectID: subject.id, version: version, objectName: subject.name, kind: .failed, contentHash: "", fileID: nil,
                    at: now, note: error.description))
                continue
            }
            let hash = rendered.hash
            switch ExportDecision.decide(subject, hash: hash, history: history[subject.id] ?? [], config: flow) {
            case .skip:
                run.filtered += 1
            case .seen:
                run.seen += 1
            case .record(let kind, let note):
                if kind == .review { run.review.append(subject.name) } else { run.unchanged += 1 }
                records.append(ExportRecord(
                    flow: flow.name, objectID: subject.id, version: version, objectName: subject.name, kind: kind, contentHash: hash, fileID: nil,
                    at: now, note: note))
            case .write(let kind):
                do {
                    let rows = try renderer.rows(of: rendered, as: kind, subject: subject)
                    let item = ExportBatch.Item(subject: subject, kind: kind, rows: rows, hash: hash, version: version)
                    // An XML record its schema refuses is named and left out, like a mapping gap.
                    if let layout = flow.xml {
                        let problems = ExportXMLDocument.problems(of: item, header: renderer.header, layout: layout, schema: layout.schema)
                        if !problems.isEmpty {
                            let message = "order \(subject.name): " + problems.joined(separator: "; ")
                            run.failures.append(message)
                            records.append(ExportRecord(
                                flow: flow.name, objectID: subject.id, version: version, objectName: subject.name, kind: .failed, contentHash: "",
                                fileID: nil, at: now, note: message))
                            continue
                        }
                    }
                    if flow.file == .perOrder { try write([item], flow: flow, run: &run, now: now) } else { batch.items.append(item) }
                } catch let failure as ExportRenderer.Failure {
                    run.failures.append(failure.description)
                }
            }
        }
        if !records.isEmpty { try ledger.recordExports(records) }
    }

    private func writeBatch(_ batch: inout ExportBatch, flow: ExportConfig, run: inout ExportRun) throws {
        guard !batch.items.isEmpty else { return }
        try write(batch.items, flow: flow, run: &run, now: Date())
        batch.items = []
    }

    private func exportShop(_ flow: ExportConfig) throws -> any Shop {
        guard let shop = shops[flow.shop] else { throw GatewayError.notFound("export \(flow.name): no shop \(flow.shop) is configured") }
        return shop
    }

    private func log(_ run: ExportRun) {
        let level: Logger.Level = run.failures.isEmpty ? (run.files.isEmpty ? .debug : .info) : .warning
        logger.log(level: level, "exported", metadata: [
            "flow": "\(run.flow)", "collected": "\(run.collected)", "files": "\(run.files.count)", "written": "\(run.writtenCount)",
            "filtered": "\(run.filtered)", "unchanged": "\(run.unchanged)", "review": "\(run.review.count)", "failed": "\(run.failures.count)",
            "api_calls": "\(run.statistics.apiCalls)",
        ])
        for failure in run.failures.prefix(20) { logger.warning("not exported", metadata: ["flow": "\(run.flow)", "reason": "\(failure)"]) }
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

/// Where a collecting run stands: what it did, the batch it collects, the newest object seen.
struct ExportProgress {
    var run: ExportRun
    var batch = ExportBatch()
    var newest: ExportCursor?
    let movesCursor: Bool

    init(run: ExportRun, movesCursor: Bool) {
        self.run = run
        self.movesCursor = movesCursor
    }
}

/// Orders decided for writing, waiting for the run's batch file.
struct ExportBatch {
    struct Item {
        var subject: ExportSubject
        var kind: ExportKind
        var rows: [ExportRenderer.Row]
        var hash: String
        var version: String
    }

    var items: [Item] = []
}
