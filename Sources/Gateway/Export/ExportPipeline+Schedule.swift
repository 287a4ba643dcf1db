import Foundation
import Ledger
import Logging
import ServiceLifecycle
import Shops

/// The export side of the daemon's loop: orders named by stored webhooks first, then the polls
/// that are due, then acknowledgements.
extension ExportPipeline {
    /// Does what is due; answers how long until the next poll is. A shop that fails leaves its
    /// webhooks stored and its poll due, so the next turn tries again.
    public func runExports() async -> Duration {
        guard !config.exports.isEmpty else { return config.rescanInterval }
        await handleWebhooks()
        let now = ContinuousClock.now
        var next = config.rescanInterval
        for flow in config.exports {
            // On SIGTERM the poll in hand finishes; the others wait for the next start.
            if Task.isShuttingDownGracefully { break }
            if let last = lastPolls[flow.name], now - last < flow.poll {
                next = min(next, flow.poll - (now - last))
                continue
            }
            lastPolls[flow.name] = now
            do {
                _ = try await poll(flow)
            } catch ShopError.stopped {
                logger.info("export poll left for the next start: stopping", metadata: ["flow": "\(flow.name)"])
            } catch {
                logger.error("export poll failed; trying again at the next poll", metadata: ["flow": "\(flow.name)", "error": "\(error)"])
            }
            next = min(next, flow.poll)
        }
        // Acknowledgements look at every file awaiting one: once per rescan interval is enough.
        if let last = lastAcknowledgementCheck, now - last < config.rescanInterval { return next }
        lastAcknowledgementCheck = now
        do {
            for file in try checkAcknowledgements() {
                logger.warning("export not acknowledged", metadata: ["flow": "\(file.flow)", "file.name": "\(file.name)", "written": "\(file.writtenAt.map(Receipt.timestamp) ?? "")"])
            }
        } catch {
            logger.error("cannot check acknowledgements", metadata: ["error": "\(error)"])
        }
        return next
    }

    /// Exports the objects stored webhooks name, with every export flow of their shop: order
    /// flows for order topics, refund flows for `refunds/create` and `orders/updated`, customer
    /// flows for customer topics.
    public func handleWebhooks() async {
        var events: [WebhookEvent]
        do {
            events = try ledger.openWebhooks()
            // Shopify sends several topics for one event (orders/create, orders/paid): a moment's
            // wait lets them be handled together, with one fetch of the order.
            if let newest = events.map(\.receivedAt).max(), Date().timeIntervalSince(newest) < 0.025 {
                try? await Task.sleep(for: .milliseconds(25))
                events = try ledger.openWebhooks()
            }
        } catch {
            logger.error("cannot read stored webhooks", metadata: ["error": "\(error)"])
            return
        }
        guard !events.isEmpty else { return }
        for (shop, shopEvents) in Dictionary(grouping: events, by: \.shop) {
            let flows = config.exports.filter { $0.shop == shop }
            var handled = true
            for flow in flows {
                // Stopping: the webhooks stay stored, and are handled at the next start.
                if Task.isShuttingDownGracefully { handled = false; break }
                let wanted = shopEvents.filter { event in
                    switch flow.kind {
                    case .orders: event.topic.hasPrefix("orders/")
                    case .refunds: event.topic.hasPrefix("refunds/") || event.topic == "orders/updated"
                    case .customers: event.topic.hasPrefix("customers/")
                    }
                }
                guard !wanted.isEmpty else { continue }
                do {
                    _ = try await export(flow, objectIDs: wanted.map(\.objectID))
                } catch ShopError.stopped {
                    handled = false
                    logger.info("export after webhook left for the next start: stopping", metadata: ["flow": "\(flow.name)"])
                } catch {
                    handled = false
                    logger.error("export after webhook failed; polling or the next turn picks the orders up", metadata: ["flow": "\(flow.name)", "error": "\(error)"])
                }
            }
            if handled {
                CrashPoint.webhooksExported.reach()
                do {
                    try ledger.markWebhooksHandled(shopEvents.map(\.webhookID))
                } catch {
                    logger.error("cannot mark webhooks handled", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
