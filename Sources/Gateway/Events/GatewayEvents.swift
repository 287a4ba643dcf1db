import Synchronization

/// The gateway's event stream: every subscriber gets its own `AsyncStream` of what is
/// published after it subscribed. Publishing never waits: a subscriber that falls behind keeps
/// the newest events up to its buffer.
public final class GatewayEvents: Sendable {
    private struct State {
        var next = 0
        var subscribers: [Int: AsyncStream<GatewayEvent>.Continuation] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// A stream of the events published from now on; it ends when the subscriber stops
    /// iterating or `finish()` is called.
    public func subscribe(bufferingNewest limit: Int = 10_000) -> AsyncStream<GatewayEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: GatewayEvent.self, bufferingPolicy: .bufferingNewest(limit))
        let id = state.withLock { state in
            defer { state.next += 1 }
            state.subscribers[state.next] = continuation
            return state.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    public func publish(_ event: GatewayEvent) {
        for subscriber in state.withLock({ Array($0.subscribers.values) }) { subscriber.yield(event) }
    }

    /// Ends every subscriber's stream.
    public func finish() {
        for subscriber in state.withLock({ Array($0.subscribers.values) }) { subscriber.finish() }
    }
}
