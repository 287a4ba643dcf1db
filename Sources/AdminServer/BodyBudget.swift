import Synchronization

/// The request bytes all connections may hold in memory at once. A request reserves its body's
/// size before it is read and gives it back when answered; when the budget is spent, the
/// request is answered 503 at once (Shopify delivers a webhook again later) instead of growing
/// the daemon's memory with every connection.
final class BodyBudget: Sendable {
    private let limit: Int
    private let used = Mutex(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Reserves `bytes`; false when that would exceed the budget.
    func reserve(_ bytes: Int) -> Bool {
        used.withLock { used in
            guard used + bytes <= limit else { return false }
            used += bytes
            return true
        }
    }

    func release(_ bytes: Int) {
        used.withLock { $0 -= bytes }
    }

    /// Bytes reserved now.
    var inUse: Int { used.withLock { $0 } }
}
