/// How a simulator runs: where it listens, the token it accepts, the plan's rate limit, the
/// shop's locations and (optionally) a full schema instead of the bundled subset.
public struct SimulatorOptions: Sendable {
    public var host: String
    /// 0 picks a free port (reported through `onListening`).
    public var port: Int
    /// The `X-Shopify-Access-Token` every GraphQL call must carry.
    public var token: String
    /// Bucket size and restore rate per second: Standard plan 2000/100 (Advanced 4000/200,
    /// Plus 20000/1000).
    public var bucketSize: Double
    public var restoreRate: Double
    public var locations: [String]
    /// A full Admin GraphQL schema (SDL) to validate against instead of the bundled subset.
    public var schemaPath: String?
    /// Where order webhooks go (`POST`), signed with `webhookSecret`; nil sends none until
    /// `POST /admin/webhooks` names a receiver.
    public var webhookURL: String?
    public var webhookSecret: String?

    public init(
        host: String = "127.0.0.1", port: Int = 8790, token: String, bucketSize: Double = 2000, restoreRate: Double = 100,
        locations: [String] = ["Hauptlager", "Außenlager"], schemaPath: String? = nil, webhookURL: String? = nil, webhookSecret: String? = nil
    ) {
        self.webhookURL = webhookURL
        self.webhookSecret = webhookSecret
        self.host = host
        self.port = port
        self.token = token
        self.bucketSize = bucketSize
        self.restoreRate = restoreRate
        self.locations = locations
        self.schemaPath = schemaPath
    }
}
