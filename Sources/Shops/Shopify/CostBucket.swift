/// Shopify's cost-based leaky bucket as the client tracks it (one per app and shop): fed from
/// each answer's `throttleStatus`, refilled at the restore rate in between, and asked how long
/// to wait before a call of a given cost may go, so calls are paced instead of throttled.
public struct CostBucket: Sendable {
    public private(set) var maximumAvailable: Double
    public private(set) var restoreRate: Double
    private var available: Double
    private var observedAt: ContinuousClock.Instant?

    /// Before the first answer: the Standard plan's bucket (2000 points, 100 per second).
    public init(maximumAvailable: Double = 2000, restoreRate: Double = 100) {
        self.maximumAvailable = maximumAvailable
        self.restoreRate = restoreRate
        available = maximumAvailable
    }

    /// Takes the bucket's state from an answer.
    public mutating func observe(_ status: QueryCost.ThrottleStatus, at now: ContinuousClock.Instant = .now) {
        maximumAvailable = status.maximumAvailable
        restoreRate = max(status.restoreRate, 1)
        available = status.currentlyAvailable
        observedAt = now
    }

    /// Points available now: the last observation plus what has been restored since.
    public func available(at now: ContinuousClock.Instant = .now) -> Double {
        guard let observedAt else { return available }
        let elapsed = now - observedAt
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return min(maximumAvailable, available + seconds * restoreRate)
    }

    /// How long to wait before a call requesting `cost` points is admitted; zero when it may go now.
    /// A cost above the bucket's size can never be admitted (the caller must split the call).
    public func wait(for cost: Double, at now: ContinuousClock.Instant = .now) -> Duration {
        let deficit = cost - available(at: now)
        guard deficit > 0 else { return .zero }
        return .milliseconds(Int64((deficit / restoreRate * 1000).rounded(.up)))
    }

    /// Books a call's requested cost as soon as it is sent (the answer corrects it).
    public mutating func spend(_ cost: Double, at now: ContinuousClock.Instant = .now) {
        available = available(at: now) - cost
        observedAt = now
    }
}
