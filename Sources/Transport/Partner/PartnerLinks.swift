public import Logging
public import SFTP

/// One SFTP connection per partner, each with its own health: after a network failure the
/// partner is left alone for a growing while (2 s, 4 s … 5 min) and only its flows wait; a host
/// key or login that is refused pauses the partner (checked again every 10 minutes), because
/// trying again at once cannot help and an admin has to act. Shared by a partner's folders
/// (`PartnerFolder`) and its deliveries (`PartnerDestination`); used from one task at a time.
public final class PartnerLinks {
    /// A partner that went down, was paused, or came back; the gateway publishes it.
    public enum Change: Sendable, Equatable {
        case down(partner: String, reason: String)
        /// Its host key or login was refused: down until an admin acts (`flow` was at work).
        case paused(partner: String, reason: String, flow: String?)
        case up(partner: String)
    }

    struct Health {
        var failures = 0
        var retryAt: ContinuousClock.Instant?
        var lastError = ""
    }

    private var clients: [String: SFTPClient] = [:]
    private var health: [String: Health] = [:]
    private let logger: Logger
    private let onChange: (Change) -> Void
    static let pauseInterval: Duration = .seconds(600)
    static let longestBackoff: Duration = .seconds(300)

    /// - Parameter onChange: told when a partner goes down, is paused, or is reachable again.
    public init(endpoints: [String: SFTPEndpoint], logger: Logger, onChange: @escaping (Change) -> Void) {
        for (name, endpoint) in endpoints { clients[name] = SFTPClient(endpoint: endpoint) }
        self.logger = logger
        self.onChange = onChange
    }

    /// The partner's client, or nil while it is backing off or paused.
    public func client(_ partner: String, now: ContinuousClock.Instant = .now) -> SFTPClient? {
        if let retryAt = health[partner]?.retryAt, now < retryAt { return nil }
        return clients[partner]
    }

    /// The partner answered: it is healthy again.
    public func succeeded(_ partner: String) {
        if let state = health[partner], state.failures > 0 {
            logger.notice("partner reachable again", metadata: ["partner": "\(partner)", "after.failures": "\(state.failures)"])
            onChange(.up(partner: partner))
        }
        health[partner] = nil
    }

    /// Logs a failure once, with what was being done, and decides what it reaches: a network
    /// failure, a refused host key or login let the partner rest (`.source`); anything else
    /// concerns only the file at hand.
    @discardableResult
    public func failed(
        _ partner: String, _ error: any Error, doing: String, flow: String? = nil, now: ContinuousClock.Instant = .now
    ) -> FailureScope {
        guard let error = error as? SFTPError else {
            logger.error("\(doing) failed: \(error)", metadata: ["partner": "\(partner)"])
            return .file
        }
        guard Self.scope(of: error) == .source else {
            logger.warning("\(doing) failed: \(error.description)", metadata: ["partner": "\(partner)", "flow": "\(flow ?? "")"])
            return .file
        }
        let refused = error.kind == .hostKey || error.kind == .authentication
        var state = health[partner] ?? Health()
        state.failures += 1
        state.lastError = error.description
        if refused {
            state.retryAt = now + Self.pauseInterval
            if state.failures == 1 {
                logger.error("partner paused: \(error.description)", metadata: ["partner": "\(partner)"])
            }
        } else {
            let seconds = min(Double(1 << min(state.failures, 9)), Self.longestBackoff / .seconds(1))
            state.retryAt = now + .seconds(seconds)
            logger.warning("partner unreachable, next try in \(Int(seconds))s: \(error.description)", metadata: ["partner": "\(partner)"])
        }
        health[partner] = state
        onChange(refused ? .paused(partner: partner, reason: error.description, flow: flow) : .down(partner: partner, reason: error.description))
        return .source
    }

    /// What an error reaches, without counting it: a network failure or a refused host key or
    /// login the whole partner, anything else one file.
    public static func scope(of error: any Error) -> FailureScope {
        guard let error = error as? SFTPError else { return .file }
        return error.isTransient || error.kind == .hostKey || error.kind == .authentication ? .source : .file
    }

    /// The partners whose last attempt failed, with what went wrong, by name.
    public var failing: [(partner: String, error: String)] {
        health.filter { $0.value.failures > 0 }.map { ($0.key, $0.value.lastError) }.sorted { $0.partner < $1.partner }
    }

    /// How long until the first resting partner may be tried again.
    public func nextRetry(now: ContinuousClock.Instant = .now) -> Duration? {
        health.values.compactMap { $0.retryAt.map { max(.zero, $0 - now) } }.min()
    }
}
