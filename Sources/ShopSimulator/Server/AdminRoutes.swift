import Foundation
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
