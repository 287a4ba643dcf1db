import Logging
import SFTP

/// One SFTP connection per partner, each with its own health: after a network failure the
/// partner is left alone for a growing while (2 s, 4 s … 5 min) and only its flows wait; a host
/// key or login that is refused pauses the partner (checked again every 10 minutes), because
/// trying again at once cannot help and an admin has to act.
final class PartnerLinks {
    struct Health {
        var failures = 0
        var retryAt: ContinuousClock.Instant?
        var lastError = ""
    }

    private var clients: [String: SFTPClient] = [:]
    private var health: [String: Health] = [:]
    private let logger: Logger
    private let events: GatewayEvents
    static let pauseInterval: Duration = .seconds(600)
    static let longestBackoff: Duration = .seconds(300)

    init(endpoints: [String: SFTPEndpoint], logger: Logger, events: GatewayEvents) {
        for (name, endpoint) in endpoints { clients[name] = SFTPClient(endpoint: endpoint) }
        self.logger = logger
        self.events = events
    }

    /// The partner's client, or nil while it is backing off or paused.
    func client(_ partner: String, now: ContinuousClock.Instant = .now) -> SFTPClient? {
        if let retryAt = health[partner]?.retryAt, now < retryAt { return nil }
        return clients[partner]
    }

    func succeeded(_ partner: String) {
        if let state = health[partner], state.failures > 0 {
            logger.notice("partner reachable again", metadata: ["partner": "\(partner)", "after.failures": "\(state.failures)"])
            events.publish(.partnerUp(partner: partner))
        }
        health[partner] = nil
    }

    /// Counts a failure and decides how long the partner rests. Returns the message logged.
    @discardableResult
    func failed(_ partner: String, _ error: SFTPError, now: ContinuousClock.Instant = .now) -> String {
        var state = health[partner] ?? Health()
        state.failures += 1
        state.lastError = error.description
        switch error.kind {
        case .hostKey, .authentication:
            state.retryAt = now + Self.pauseInterval
            if state.failures == 1 {
                logger.error("partner paused: \(error.description)", metadata: ["partner": "\(partner)"])
            }
        default:
            let seconds = min(Double(1 << min(state.failures, 9)), Self.longestBackoff / .seconds(1))
            state.retryAt = now + .seconds(seconds)
            logger.warning("partner unreachable, next try in \(Int(seconds))s: \(error.description)", metadata: ["partner": "\(partner)"])
        }
        health[partner] = state
        events.publish(.partnerDown(partner: partner, reason: error.description))
        return error.description
    }

    /// The partners whose last attempt failed, with what went wrong, by name.
    var failing: [(partner: String, error: String)] {
        health.filter { $0.value.failures > 0 }.map { ($0.key, $0.value.lastError) }.sorted { $0.partner < $1.partner }
    }

    /// How long until the first resting partner may be tried again.
    func nextRetry(now: ContinuousClock.Instant = .now) -> Duration? {
        health.values.compactMap { $0.retryAt.map { max(.zero, $0 - now) } }.min()
    }
}
