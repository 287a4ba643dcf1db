/// When a local operation that failed may be tried again, and whether its failure is worth a log
/// line: after the n-th failure in a row it waits 2ⁿ seconds, at most 5 minutes, and it is
/// logged the first time, when the error changes, and at each doubling of the count. A file that
/// can never be claimed or placed then costs a try and a line every few minutes, not thousands
/// a second, and stays listed (`failing`) for `hafen run --once` and the ledger's activity.
struct RetryBackoff {
    struct Failure: Sendable {
        /// What failed, as an admin reads it (`inbox/stock/a.csv`, `#12 stock-0501.csv`).
        var subject: String
        var error: String
        var count: Int
        var retryAt: ContinuousClock.Instant
    }

    static let longest: Duration = .seconds(300)
    private(set) var failures: [String: Failure] = [:]

    /// Whether `key` may be tried now (it never failed, or its wait is over).
    func mayTry(_ key: String, now: ContinuousClock.Instant = .now) -> Bool {
        failures[key].map { $0.retryAt <= now } ?? true
    }

    /// Records a failure of `key`. Returns whether to log it and how long it now waits.
    mutating func failed(
        _ key: String, subject: String, error: String, now: ContinuousClock.Instant = .now
    ) -> (log: Bool, wait: Duration) {
        var failure = failures[key] ?? Failure(subject: subject, error: error, count: 0, retryAt: now)
        let changed = failure.error != error
        failure.count += 1
        failure.error = error
        failure.subject = subject
        let wait = min(Duration.seconds(1 << min(failure.count, 9)), Self.longest)
        failure.retryAt = now + wait
        failures[key] = failure
        let count = failure.count
        return (count == 1 || changed || count & (count - 1) == 0, wait)
    }

    /// `key` worked: it is forgotten.
    mutating func succeeded(_ key: String) {
        failures[key] = nil
    }

    /// Forgets the keys under `prefix` that are not in `present` (a file that left its inbox).
    mutating func forget(prefix: String, except present: Set<String>) {
        for key in failures.keys where key.hasPrefix(prefix) && !present.contains(key) { failures[key] = nil }
    }

    /// How long until the first waiting key may be tried again.
    func nextRetry(now: ContinuousClock.Instant = .now) -> Duration? {
        failures.values.map { max(.zero, $0.retryAt - now) }.min()
    }

    /// Everything failing now, by subject.
    var failing: [Failure] { failures.values.sorted { $0.subject < $1.subject } }
}
