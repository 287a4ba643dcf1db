/// A shop that flows push to (`shops:` in `hafen.yaml`).
public struct ShopConfig: Sendable, Equatable {
    public enum Platform: String, Sendable, CaseIterable {
        case shopify
    }

    public var name: String
    public var platform: Platform
    /// `example.myshopify.com`, or `http://127.0.0.1:PORT` for the simulator.
    public var store: String
    public var apiVersion: String
    public var token: Secret
    /// False blocks every write to this shop while reads go on (`writes: blocked`).
    public var writesEnabled: Bool
    /// More changed products than this go as one bulk import instead of one call each.
    public var bulkThreshold: Int = 100
    /// How long one request may take, connecting included (`timeout: 60s`).
    public var timeout: Duration = .seconds(60)
    /// The app's secret that signs this shop's webhooks (`webhook_secret: env:NAME`); nil: the
    /// shop's webhooks are refused and polling alone finds its orders.
    public var webhookSecret: Secret?
}
