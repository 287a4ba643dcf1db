import Foundation
public import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdCore
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
///
/// The port faces the internet, so it is bounded: at most `maxConnections` at once, each request
/// sent within `requestTimeout`, bodies up to `maxBody` and refused unread without a signature,
/// and `bufferBudget` bytes of bodies in memory over all connections (`ServerConfig`).
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
        let budget = BodyBudget(limit: server.bufferBudget)
        let maxBody = server.maxBody
        router.post("/webhooks/shopify") { request, _ -> Response in
            // Refused before a byte of the body is read: no signature, a body too large, no room.
            if request.headers[HTTPField.Name(ShopifyWebhook.signatureHeader)!] == nil {
                return Self.answer(401, "signature missing", close: true)
            }
            let announced = request.headers[.contentLength].flatMap { Int($0) }
            if let announced, announced > maxBody {
                return Self.answer(413, "body larger than \(maxBody) bytes", close: true)
            }
            let reserved = min(announced ?? maxBody, maxBody)
            guard budget.reserve(reserved) else {
                receiver.logger.warning("webhook deferred: too many request bytes in memory at once")
                return Self.answer(503, "busy; deliver again", close: true)
            }
            defer { budget.release(reserved) }
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: reserved)
            } catch {
                return Self.answer(413, "body larger than \(reserved) bytes", close: true)
            }
            let answer = receiver.receive(body: Array(buffer: body), headers: request.headers)
            return Self.answer(answer.status, answer.text, close: false)
        }
        router.get("/health") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"# + "\n")))
        }
        let onListening = onListening
        let timeout = TimeAmount.nanoseconds(Int64(server.requestTimeout.components.seconds) * 1_000_000_000
            + server.requestTimeout.components.attoseconds / 1_000_000_000)
        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [RequestDeadline(limit: timeout)], idleTimeout: timeout)),
            configuration: .init(
                address: .hostname(server.host, port: server.port), serverName: "hafen",
                availableConnectionsDelegate: MaximumAvailableConnections(server.maxConnections, logger: logger)),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) }, logger: logger)
        // `run()`, not `runService()`: the latter listens for SIGTERM itself and, winning the race with
        // the daemon's service group, would end this service before the group asked it to.
        try await app.run()
    }

    /// A short plain-text answer; `close` ends the connection after it (a body left unread).
    private static func answer(_ status: Int, _ text: String, close: Bool) -> Response {
        var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
        if close { headers[.connection] = "close" }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
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
