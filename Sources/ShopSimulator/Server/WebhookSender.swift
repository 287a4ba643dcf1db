import Crypto
import Foundation
import HTTP
import HTTPTypes

/// Sends order webhooks the way Shopify does: a JSON body, `X-Shopify-Topic`,
/// `X-Shopify-Hmac-Sha256` (base64 HMAC-SHA256 of the raw body with the app's secret),
/// `X-Shopify-Webhook-Id`, `X-Shopify-Triggered-At`. Deliveries go one at a time in the order
/// events happened, unless asked to swap them (`reorder`) or to send each twice (`duplicates`),
/// as real deliveries sometimes arrive. A failed delivery is tried twice more, a second apart.
actor WebhookSender {
    /// Where and how to deliver (`POST /admin/webhooks`, or `--webhook-url`/`--webhook-secret`).
    struct Settings: Sendable, Codable {
        var url: String
        var secret: String
        var duplicates = false
        var reorder = false

        init(url: String, secret: String) {
            self.url = url
            self.secret = secret
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            url = try container.decode(String.self, forKey: .url)
            secret = try container.decode(String.self, forKey: .secret)
            duplicates = try container.decodeIfPresent(Bool.self, forKey: .duplicates) ?? false
            reorder = try container.decodeIfPresent(Bool.self, forKey: .reorder) ?? false
        }
    }

    struct Delivery: Sendable {
        var topic: String
        var id: String
        var body: [UInt8]
    }

    private(set) var settings: Settings?
    private(set) var delivered = 0
    private(set) var failed = 0
    private var queue: [Delivery] = []
    private var draining = false
    private let client = HTTPClient(options: .init(timeout: .seconds(5), connectTimeout: .seconds(2)))
    private let shopDomain: String

    init(settings: Settings?, shopDomain: String = "hafen-simulator.myshopify.com") {
        self.settings = settings
        self.shopDomain = shopDomain
    }

    func configure(_ settings: Settings?) {
        self.settings = settings
    }

    /// Queues the topics of one event (`orders/create`, `orders/paid`, …) with its payload.
    func send(topics: [String], payload body: [UInt8]) {
        guard let settings, !topics.isEmpty else { return }
        var deliveries = topics.map { Delivery(topic: $0, id: UUID().uuidString.lowercased(), body: body) }
        if settings.reorder { deliveries.reverse() }
        if settings.duplicates { deliveries = deliveries.flatMap { [$0, $0] } }
        queue += deliveries
        guard !draining else { return }
        draining = true
        Task { await self.drain() }
    }

    private func drain() async {
        while !queue.isEmpty {
            let delivery = queue.removeFirst()
            guard let settings else { continue }
            var done = false
            for attempt in 1...3 where !done {
                if attempt > 1 { try? await Task.sleep(for: .seconds(1)) }
                done = await deliver(delivery, settings: settings)
            }
            if done { delivered += 1 } else { failed += 1 }
        }
        draining = false
    }

    private func deliver(_ delivery: Delivery, settings: Settings) async -> Bool {
        guard let url = URL(string: settings.url), let host = url.host else { return false }
        let signature = Data(HMAC<SHA256>.authenticationCode(for: delivery.body, using: SymmetricKey(data: Data(settings.secret.utf8)))).base64EncodedString()
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        let headers = [
            ("X-Shopify-Topic", delivery.topic), ("X-Shopify-Hmac-Sha256", signature), ("X-Shopify-Webhook-Id", delivery.id),
            ("X-Shopify-Shop-Domain", shopDomain), ("X-Shopify-API-Version", "2026-07"), ("X-Shopify-Triggered-At", Timestamp.now()),
        ]
        for (name, value) in headers { if let name = HTTPField.Name(name) { fields[name] = value } }
        let authority = url.port.map { "\(host):\($0)" } ?? host
        let request = HTTPRequest(method: .post, scheme: url.scheme, authority: authority, path: url.path.isEmpty ? "/" : url.path, headerFields: fields)
        guard let answer = try? await client.send(request, body: delivery.body) else { return false }
        return (200..<300).contains(answer.head.status.code)
    }

    /// Counts for `GET /admin/webhooks`.
    func summary() -> [String: any Sendable] {
        ["url": settings?.url, "delivered": delivered, "failed": failed, "queued": queue.count]
    }
}
