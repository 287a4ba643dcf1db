import Crypto
import Foundation
import HTTP
import HTTPTypes
import HafenTesting
import Ledger
import Testing

/// The daemon receives Shopify's signed webhooks, stores each once, and writes the order at once;
/// forged, malformed and repeated deliveries change nothing.
@Suite struct WebhookTests {
    static let secret = "app-secret-for-tests"

    static func daemon(_ h: ExportHarness, port: Int) throws -> DaemonProcess {
        try DaemonProcess(configPath: h.dir.file("hafen.yaml"), in: h.dir.path, environment: ["HAFEN_TEST_WEBHOOK_SECRET": secret], logLevel: "debug")
    }

    static func harness(port: Int, flows: String = "") throws -> ExportHarness {
        try ExportHarness(
            settings: "    poll: 1h", shopSettings: "    webhook_secret: env:HAFEN_TEST_WEBHOOK_SECRET", top: "server:\n  listen: 127.0.0.1:\(port)", flows: flows)
    }

    /// Waits until `condition` holds or `seconds` pass.
    static func eventually(_ seconds: Double = 10, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    static func post(port: Int, body: String, headers: [String: String]) async throws -> (Int, String) {
        var fields = HTTPFields()
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        let request = HTTPRequest(method: .post, scheme: "http", authority: "127.0.0.1:\(port)", path: "/webhooks/shopify", headerFields: fields)
        let answer = try await HTTPClient().send(request, body: Array(body.utf8))
        return (answer.head.status.code, String(decoding: answer.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func signature(_ body: String, secret: String = secret) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))).base64EncodedString()
    }

    @Test func ordersArriveByWebhookOnceEachEvenRepeatedAndOutOfOrder() async throws {
        let port = DaemonProcess.freePort()
        let h = try Self.harness(port: port)
        let daemon = try Self.daemon(h, port: port)
        #expect(try await Self.eventually { daemon.log.contains("listening") }, "\(daemon.log)")
        try await h.simulator.admin(.post, "/admin/webhooks", json: """
            {"url": "http://127.0.0.1:\(port)/webhooks/shopify", "secret": "\(Self.secret)", "duplicates": true, "reorder": true}
            """)
        try await h.simulator.admin(.post, "/admin/orders/generate", json: #"{"count": 5, "seed": 9, "financialStatus": "PAID"}"#)
        #expect(try await Self.eventually { h.files().count == 5 }, "\(h.files())\n\(daemon.log)")
        let delivered = try await h.simulator.admin(.get, "/admin/webhooks") as? [String: Any]
        #expect(delivered?["delivered"] as? Int == 20)  // create + paid, each twice, for 5 orders
        try await Task.sleep(for: .milliseconds(300))
        #expect(h.files() == (1001...1005).map { "orders_\($0)_original.csv" })
        #expect(daemon.log.contains("webhook again"))
    }

    /// Webhooks a daemon stored but did not get to (it was stopped) are handled by `run --once`
    /// too: the orders are written and the webhooks no longer open.
    @Test func runOnceExportsTheOrdersStoredWebhooksNameAndClosesThem() async throws {
        let h = try Self.harness(port: DaemonProcess.freePort())
        let ids = try await h.seed("[\(ExportHarness.paidOrder), \(ExportHarness.paidOrder)]")
        let ledger = try Ledger(path: h.dir.file(".hafen/ledger.sqlite"))
        for (index, id) in ids.enumerated() {
            _ = try ledger.recordWebhook(WebhookEvent(webhookID: "w\(index)", shop: "main", topic: "orders/paid", objectID: id, receivedAt: Date()))
        }
        let run = try h.hafen(["run", "--once", "--log-level", "error"], environment: ["HAFEN_TEST_WEBHOOK_SECRET": Self.secret])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(try ledger.openWebhooks().isEmpty)
        #expect(h.files() == ["orders_1001_original.csv", "orders_1002_original.csv"])
    }

    @Test func aRefundArrivesByWebhookAsACreditDocument() async throws {
        let port = DaemonProcess.freePort()
        let h = try Self.harness(port: port, flows: RefundExportTests.refundsFlow.replacingOccurrences(of: "kind: refunds", with: "kind: refunds\n    poll: 1h"))
        let daemon = try Self.daemon(h, port: port)
        #expect(try await Self.eventually { daemon.log.contains("listening") }, "\(daemon.log)")
        try await h.simulator.admin(.post, "/admin/webhooks", json: #"{"url": "http://127.0.0.1:\#(port)/webhooks/shopify", "secret": "\#(Self.secret)"}"#)
        let ids = try await h.seed(ExportHarness.paidOrder)
        #expect(try await Self.eventually { h.files() == ["orders_1001_original.csv"] }, "\(daemon.log)")
        _ = try await RefundExportTests.refund(h, ids[0], #"{"lines": [{"sku": "B-2", "quantity": 1}]}"#)
        #expect(try await Self.eventually { h.files("refunds") == ["refunds_1001-G1.csv"] }, "\(h.files("refunds"))\n\(daemon.log)")
        #expect(daemon.log.contains("refunds/create"))
    }

    @Test func refusesForgedAndMalformedWebhooksAndStoresEachIDOnce() async throws {
        let port = DaemonProcess.freePort()
        let h = try Self.harness(port: port)
        let daemon = try Self.daemon(h, port: port)
        #expect(try await Self.eventually { daemon.log.contains("listening") }, "\(daemon.log)")
        let ids = try await h.seed(ExportHarness.paidOrder)
        let body = #"{"admin_graphql_api_id": "\#(ids[0])", "id": 1}"#
        let headers = ["X-Shopify-Topic": "orders/paid", "X-Shopify-Webhook-Id": "w-1", "Content-Type": "application/json"]
        let forged = try await Self.post(port: port, body: body, headers: headers.merging(["X-Shopify-Hmac-Sha256": Self.signature(body, secret: "wrong")]) { $1 })
        #expect(forged.0 == 401)
        let unsigned = try await Self.post(port: port, body: body, headers: headers)
        #expect(unsigned.0 == 401)
        let noID = try await Self.post(port: port, body: body, headers: ["X-Shopify-Topic": "orders/paid", "X-Shopify-Hmac-Sha256": Self.signature(body)])
        #expect(noID.0 == 400)
        let signed = headers.merging(["X-Shopify-Hmac-Sha256": Self.signature(body)]) { $1 }
        #expect(try await Self.post(port: port, body: body, headers: signed) == (200, "stored"))
        #expect(try await Self.post(port: port, body: body, headers: signed) == (200, "duplicate"))
        #expect(try await Self.eventually { h.files() == ["orders_1001_original.csv"] }, "\(daemon.log)")
        let health = try await HTTPClient().send(HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:\(port)", path: "/health"))
        #expect(health.head.status.code == 200)
    }
}
