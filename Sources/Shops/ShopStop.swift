/// Lets a caller cut a shop call's waits short. While `requested` answers true, a call that
/// is about to be sent, or waits for the cost bucket to refill or a backoff before it tries
/// again, stops with `ShopError.stopped` instead, and is not sent (again). Exports set it to
/// "the daemon is stopping", so a SIGTERM does not wait out a throttled poll that the next
/// start repeats anyway; pushes leave it unset and finish the step in hand.
public enum ShopStop {
    /// When to stop: the caller's test, asked at every wait.
    public struct Condition: Sendable {
        let isMet: @Sendable () -> Bool

        public init(_ isMet: @escaping @Sendable () -> Bool) {
            self.isMet = isMet
        }
    }

    // A struct, not the bare closure type: in release builds, TaskLocal.withValue specialised
    // for an optional @Sendable closure crashed in swift_task_localValuePush (`hafen export`).
    @TaskLocal public static var requested: Condition?

    /// Whether the caller asked to stop now.
    static var isRequested: Bool { requested?.isMet() ?? false }
}
