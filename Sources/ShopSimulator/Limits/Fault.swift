/// A failure the simulator plays on the next GraphQL call, queued over the admin endpoint by
/// tests and the benchmark: `{"kind": "throttled"}`, `{"kind": "http", "status": 503}`,
/// `{"kind": "http", "status": 429, "retry_after": 1}`, `{"kind": "slow", "ms": 1500}` (answer
/// late), `{"kind": "lost-answer", "ms": 3000}` (apply the call, then answer only after `ms`, so
/// a client with a shorter timeout never learns the outcome), `{"kind": "drop"}` (close the
/// connection without doing anything), `{"kind": "drop-after-apply"}` (apply the call, then
/// close the connection in the middle of the answer), `{"kind": "pass"}` (answer normally: lets
/// a test fail the n-th call).
enum Fault: Sendable, Equatable, Decodable {
    case pass
    case throttled
    case http(status: Int, retryAfter: Int?)
    case slow(milliseconds: Int)
    case lostAnswer(milliseconds: Int)
    case drop(afterApplying: Bool)

    private enum Keys: String, CodingKey {
        case kind, status, ms
        case retryAfter = "retry_after"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "pass": self = .pass
        case "throttled": self = .throttled
        case "http":
            self = .http(status: try container.decode(Int.self, forKey: .status), retryAfter: try container.decodeIfPresent(Int.self, forKey: .retryAfter))
        case "slow": self = .slow(milliseconds: try container.decode(Int.self, forKey: .ms))
        case "lost-answer": self = .lostAnswer(milliseconds: try container.decode(Int.self, forKey: .ms))
        case "drop": self = .drop(afterApplying: false)
        case "drop-after-apply": self = .drop(afterApplying: true)
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown fault \(other): pass, throttled, http, slow, lost-answer, drop or drop-after-apply")
        }
    }
}
