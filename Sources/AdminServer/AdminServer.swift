import Foundation
public import Gateway
import HTTPTypes
import Hummingbird
public import Ledger
public import Shops
public import Logging
import NIOCore
public import ServiceLifecycle
public import Transport

/// The HTTP server inside `hafen run`: Shopify's webhooks (`POST /webhooks/shopify`) and a health
/// check (`GET /health`). A webhook is verified, stored in the ledger once (by
/// `X-Shopify-Webhook-Id`) and answered at once; the daemon's loop, woken by `signal`, fetches
/// the order and writes the file. Webhooks only speed things up: polling still finds every order.
public struct AdminServer: Service, CustomStringConvertible {
    let server: ServerConfig
    let ledger: Ledger
    let verifier: WebhookVerifier
    let signal: WakeSignal
    let logger: Logger
    let onListening: @Sendable (Int) async -> Void

    public init(
        server: ServerConfig, ledger: Ledger, verifier: WebhookVerifier, signal: WakeSignal, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.server = server
        self.ledger = ledger
        self.verifier = verifier
        self.signal = signal
        self.logger = logger
        self.onListening = onListening
    }

    public var description: String { "AdminServer(\(server.host):\(server.port))" }

    public func run() async throws {
        let router = Router()
        let receiver = self
        router.post("/webhooks/shopify") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 4 << 20)
            let answer = receiver.receive(body: Array(buffer: body), headers: request.headers)
            return Response(status: .init(code: answer.status), headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: answer.text + "\n")))
        }
        router.get("/health") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"# + "\n")))
        }
        let onListening = onListening
        let app = Application(
            router: router, configuration: .init(address: .hostname(server.host, port: server.port), serverName: "hafen"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) }, logger: logger)
        try await app.runService()
    }

    /// A status and a short text: 200 stored (or a duplicate), 401 not signed by a known shop,
    /// 400 malformed, 503 the ledger could not store it (Shopify delivers again later).
    func receive(body: [UInt8], headers: HTTPFields) -> (status: Int, text: String) {
        func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
        guard let signature = header(ShopifyWebhook.signatureHeader), let shop = verifier.shop(signing: body, signature: signature) else {
            logger.warning("webhook refused: not signed by a configured shop's secret")
            return (401, "signature does not match")
        }
        let webhook: ShopifyWebhook
        do {
            guard let read = try ShopifyWebhook.read(body: body, header: header) else { return (200, "ignored: topic \(header(ShopifyWebhook.topicHeader) ?? "")") }
            webhook = read
        } catch {
            return (400, error.description)
        }
        let event = WebhookEvent(webhookID: webhook.id, shop: shop, topic: webhook.topic, objectID: webhook.objectID, receivedAt: Date())
        do {
            guard try ledger.recordWebhook(event) else {
                logger.debug("webhook again", metadata: ["webhook.id": "\(webhook.id)", "topic": "\(webhook.topic)"])
                return (200, "duplicate")
            }
        } catch {
            logger.error("webhook not stored", metadata: ["error": "\(error)"])
            return (503, "not stored; deliver again")
        }
        logger.debug("webhook", metadata: ["shop": "\(shop)", "topic": "\(webhook.topic)", "order": "\(webhook.objectID)"])
        signal.fire()
        return (200, "stored")
    }
}
