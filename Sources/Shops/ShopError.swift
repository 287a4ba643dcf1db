/// Why a call to a shop failed as a whole (objects the shop refused are `ObjectOutcome.refused`).
public enum ShopError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The shop could not be reached or kept failing (after retries).
    case unavailable(shop: String, detail: String)
    /// The request left but no answer came back, and sending it again would not be safe.
    case outcomeUnknown(shop: String, detail: String)
    /// The shop refused the token or the app's access (401, 403, 402, 423).
    case refused(shop: String, status: Int, detail: String)
    /// The call itself was wrong (GraphQL errors without data): a bug or a schema change.
    case invalidCall(shop: String, detail: String)
    /// The shop's token could not be read.
    case token(shop: String, detail: String)
    /// The caller asked to stop (`ShopStop`) before the call was sent, or while it waited to try again.
    case stopped(shop: String)

    public var description: String {
        switch self {
        case .unavailable(let shop, let detail): "shop \(shop) is unavailable: \(detail)"
        case .outcomeUnknown(let shop, let detail): "shop \(shop): no answer to a request that may have been applied (\(detail)); not sent again"
        case .refused(let shop, let status, let detail): "shop \(shop) refused access (HTTP \(status)): \(detail)"
        case .invalidCall(let shop, let detail): "shop \(shop) rejected the call: \(detail)"
        case .token(let shop, let detail): "shop \(shop): the access token cannot be read: \(detail)"
        case .stopped(let shop): "shop \(shop): the call was left unsent because Hafen is stopping"
        }
    }
}
