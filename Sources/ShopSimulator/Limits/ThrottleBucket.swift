/// The simulated shop's cost bucket for one app: it refills at `restoreRate` points per second
/// up to `maximumAvailable`; a call is admitted only if its requested cost is available, and
/// what it did not use (requested − actual) is refunded after it ran.
struct ThrottleBucket: Sendable {
    let maximumAvailable: Double
    let restoreRate: Double
    private var available: Double
    private var updatedAt: ContinuousClock.Instant

    init(maximumAvailable: Double, restoreRate: Double, now: ContinuousClock.Instant = .now) {
        self.maximumAvailable = maximumAvailable
        self.restoreRate = restoreRate
        available = maximumAvailable
        updatedAt = now
    }

    private mutating func refill(_ now: ContinuousClock.Instant) {
        let elapsed = now - updatedAt
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        available = min(maximumAvailable, available + seconds * restoreRate)
        updatedAt = now
    }

    /// Takes `cost` points if they are there; false (and nothing taken) if not.
    mutating func admit(_ cost: Double, now: ContinuousClock.Instant = .now) -> Bool {
        refill(now)
        guard available >= cost else { return false }
        available -= cost
        return true
    }

    mutating func refund(_ points: Double, now: ContinuousClock.Instant = .now) {
        refill(now)
        available = min(maximumAvailable, available + max(points, 0))
    }

    mutating func currentlyAvailable(now: ContinuousClock.Instant = .now) -> Double {
        refill(now)
        return available
    }

    /// Back to full (admin reset).
    mutating func fill(now: ContinuousClock.Instant = .now) {
        available = maximumAvailable
        updatedAt = now
    }
}
