/// What the simulator has answered since the last reset, for tests, the demo and the benchmark.
struct CallStatistics: Sendable, Encodable {
    var calls = 0
    var throttled = 0
    var rejected = 0
    var costPoints = 0
    /// Calls per operation name (`InventorySetQuantities`, …).
    var operations: [String: Int] = [:]
}
