import Foundation
import GraphQL
import Hummingbird
import Synchronization

/// The simulator's admin routes, for tests, the demo and the benchmark (no token: the simulator
/// listens on loopback). All answers are JSON.
enum AdminRoutes {
    static func add(to router: Router<BasicRequestContext>, simulator: Simulator) {
        router.get("/admin/state") { _, _ -> Response in
            let summary = await simulator.state.summary()
            let statistics = simulator.statistics.withLock { $0 }
            let available = simulator.bucket.withLock { $0.currentlyAvailable() }
            return json([
                "objects": summary,
                "calls": ["total": statistics.calls, "throttled": statistics.throttled, "rejected": statistics.rejected,
                          "cost_points": statistics.costPoints, "by_operation": statistics.operations] as [String: Any],
                "bucket": ["maximum": simulator.options.bucketSize, "available": available, "restore_rate": simulator.options.restoreRate],
            ])
        }
        router.get("/admin/inventory") { _, _ -> Response in
            json(await simulator.state.inventoryDump())
        }
        router.get("/admin/products") { _, _ -> Response in
            json(await simulator.state.productDump())
        }
        router.post("/admin/reset") { _, _ -> Response in
            await simulator.state.reset()
            simulator.statistics.withLock { $0 = CallStatistics() }
            simulator.bucket.withLock { $0.fill() }
            simulator.faults.withLock { $0 = [] }
            return json(["reset": true])
        }
        // Shoppers and the merchant: create customers and orders, change an order.
        router.post("/admin/customers") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 16 << 20)
            return await seed(Array(buffer: body)) { json throws(ShopState.SeedError) in
                let (customer, created) = try await simulator.state.createCustomer(json)
                if created { await simulator.webhooks.send(topics: ["customers/create"], payload: await simulator.state.webhookPayload(customer)) }
                return ["id": GID.make("Customer", customer.id), "email": customer.email as Any, "created": created]
            }
        }
        router.post("/admin/customers/:id") { request, context -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let id = context.parameters.get("id").flatMap { Int($0) ?? GID.number($0, type: "Customer") } ?? -1
            return await seed(Array(buffer: body)) { json throws(ShopState.SeedError) in
                let customer = try await simulator.state.updateCustomer(id: id, json)
                await simulator.webhooks.send(topics: ["customers/update"], payload: await simulator.state.webhookPayload(customer))
                return ["id": GID.make("Customer", customer.id), "updatedAt": Timestamp.text(customer.updatedAt)]
            }
        }
        router.post("/admin/orders") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 16 << 20)
            return await seed(Array(buffer: body)) { json throws(ShopState.SeedError) in
                let order = try await simulator.state.createOrder(json)
                await simulator.webhooks.send(topics: Self.topics(created: order), payload: await simulator.state.webhookPayload(order))
                return ["id": GID.make("Order", order.id), "name": "#\(order.number)"]
            }
        }
        router.post("/admin/orders/generate") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            return await seed(Array(buffer: body)) { json throws(ShopState.SeedError) in
                let orders = try await simulator.state.generateOrders(json)
                for order in orders {
                    await simulator.webhooks.send(topics: Self.topics(created: order), payload: await simulator.state.webhookPayload(order))
                }
                return ["created": orders.count, "first": orders.first.map { "#\($0.number)" } as Any, "last": orders.last.map { "#\($0.number)" } as Any]
            }
        }
        router.post("/admin/orders/:id/refunds") { request, context -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let id = context.parameters.get("id").flatMap { Int($0) ?? GID.number($0, type: "Order") } ?? -1
            return await seed(Array(buffer: body)) { json throws(ShopState.SeedError) in
                let (order, refund) = try await simulator.state.createRefund(orderID: id, json)
                await simulator.webhooks.send(topics: ["refunds/create"], payload: await simulator.state.refundPayload(refund, order: order))
                await simulator.webhooks.send(topics: ["orders/updated"], payload: await simulator.state.webhookPayload(order))
                return ["id": GID.make("Refund", refund.id), "order": "#\(order.number)", "amount": ShopState.format(refund.transaction.amount)]
            }
        }
        router.get("/admin/webhooks") { _, _ -> Response in
            json(await simulator.webhooks.summary())
        }
        router.post("/admin/webhooks") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            guard let settings = try? JSONDecoder().decode(WebhookSender.Settings.self, from: Data(Array(buffer: body))) else {
                return ShopSimulator.response(Simulator.Answer(status: 400, body: Array(#"{"error":"expected {\"url\", \"secret\", \"duplicates\", \"reorder\"}"}"#.utf8)))
            }
            await simulator.webhooks.configure(settings)
            return json(["url": settings.url])
        }
        router.post("/admin/orders/:id") { request, context -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let id = context.parameters.get("id").flatMap { Int($0) ?? GID.number($0, type: "Order") } ?? -1
            return await seed(Array(buffer: body)) { json throws(ShopState.SeedError) in
                let before = await simulator.state.orders[id]
                let order = try await simulator.state.updateOrder(id: id, json)
                await simulator.webhooks.send(topics: Self.topics(updated: order, before: before), payload: await simulator.state.webhookPayload(order))
                return ["id": GID.make("Order", order.id), "name": "#\(order.number)"]
            }
        }
        router.post("/admin/faults") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            guard let faults = try? JSONDecoder().decode([Fault].self, from: Data(Array(buffer: body))) else {
                return ShopSimulator.response(Simulator.Answer(status: 400, body: Array(#"{"error":"expected a JSON array of faults"}"#.utf8)))
            }
            let queued = simulator.faults.withLock { $0 += faults; return $0.count }
            return json(["queued": queued])
        }
    }

    /// Shopify's topics for a new order: created, and paid when it was paid at checkout.
    static func topics(created order: OrderRecord) -> [String] {
        ["orders/create"] + (order.financialStatus == "PAID" ? ["orders/paid"] : [])
    }

    /// Topics for a changed order: always updated; paid and cancelled when that happened now.
    static func topics(updated order: OrderRecord, before: OrderRecord?) -> [String] {
        var topics = ["orders/updated"]
        if order.financialStatus == "PAID", before?.financialStatus != "PAID" { topics.append("orders/paid") }
        if order.cancelledAt != nil, before?.cancelledAt == nil { topics.append("orders/cancelled") }
        return topics
    }

    /// Runs `make` for one JSON object or each of an array; 400 with the reason on a bad one.
    static func seed(
        _ body: [UInt8], _ make: (Map) async throws(ShopState.SeedError) -> [String: Any]
    ) async -> Response {
        let parsed = try? JSONSerialization.jsonObject(with: Data(body))
        guard let objects = ((parsed as? [[String: Any]]) ?? (parsed as? [String: Any]).map({ [$0] }))?.map(JSONMap.map) else {
            return ShopSimulator.response(Simulator.Answer(status: 400, body: Array(#"{"error":"expected a JSON object or array of objects"}"#.utf8)))
        }
        var created: [[String: Any]] = []
        for (index, object) in objects.enumerated() {
            do {
                created.append(try await make(object))
            } catch {
                let message = (try? JSONSerialization.data(withJSONObject: ["error": "item \(index): \(error.description)", "created": created]))
                return ShopSimulator.response(Simulator.Answer(status: 400, body: Array(message ?? Data())))
            }
        }
        return json(created)
    }

    /// Plain values (dictionaries, arrays, strings, numbers, optionals) as a JSON answer.
    static func json(_ value: Any) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: plain(value), options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return ShopSimulator.response(Simulator.Answer(body: Array(data)))
    }

    private static func plain(_ value: Any) -> Any {
        switch value {
        case let dictionary as [String: Any]: return dictionary.mapValues(plain)
        case let array as [Any]: return array.map(plain)
        case let optional as Optional<Any>:
            guard case .some(let inner) = optional else { return NSNull() }
            return inner
        }
    }
}
