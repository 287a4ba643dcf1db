import Foundation
import HTTPTypes
import Hummingbird
public import Logging
import NIOCore
import Synchronization

/// A local stand-in for a Shopify shop's Admin GraphQL API (`hafen simulator`): validates every
/// call against the schema, keeps products and stock, answers with Shopify's semantics and
/// error shapes, enforces the cost-based rate limit, and plays queued faults. Admin routes let
/// tests and the demo inspect and reset it.
///
/// Routes: `POST /admin/api/<version>/graphql.json`; `PUT /staged-uploads/<id>`;
/// `GET /bulk-results/<id>.jsonl`; `GET /admin/state`, `GET /admin/inventory`,
/// `GET /admin/products`, `POST /admin/reset`, `POST /admin/faults`.
public struct ShopSimulator: Sendable {
    private let simulator: Simulator

    /// Loads the schema (bundled subset or `options.schemaPath`) and seeds the locations.
    public init(options: SimulatorOptions) throws {
        simulator = try Simulator(options: options)
    }

    /// Serves until the task is cancelled or the process gets SIGTERM/SIGINT.
    /// - Parameter onListening: called with the bound port once the server accepts connections.
    public func run(logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let simulator = simulator
        let router = Router()
        router.post("/admin/api/:version/graphql.json") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 64 << 20)
            let answer = await simulator.graphQL(body: Array(buffer: body), token: request.headers[Self.tokenHeader])
            if answer.delay > .zero { try await Task.sleep(for: answer.delay) }
            if answer.dropConnection { return Self.dropped(answer) }
            return Self.response(answer)
        }
        router.put("/staged-uploads/:id") { request, context -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 30)
            let stored = await simulator.state.storeUpload(id: context.parameters.get("id") ?? "", body: Array(buffer: body))
            return Self.response(Simulator.Answer(status: stored ? 201 : 404, body: []))
        }
        router.get("/bulk-results/:name") { _, context -> Response in
            guard let bytes = await simulator.state.bulkResults[context.parameters.get("name") ?? ""] else {
                return Self.response(Simulator.Answer(status: 404, body: []))
            }
            return Self.response(Simulator.Answer(headers: [("Content-Type", "application/jsonl")], body: bytes))
        }
        AdminRoutes.add(to: router, simulator: simulator)
        let app = Application(
            router: router, configuration: .init(address: .hostname(simulator.options.host, port: simulator.options.port), serverName: "hafen-simulator"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? simulator.options.port
                simulator.baseURL = "http://\(simulator.options.host):\(port)"
                await onListening(port)
            },
            logger: logger)
        try await app.runService()
    }

    static let tokenHeader = HTTPField.Name("X-Shopify-Access-Token")!

    private struct ConnectionDropped: Error {}

    /// Headers promising the whole answer, half of it, then an error: the server closes the
    /// connection mid-answer and the client cannot tell whether the call was applied.
    static func dropped(_ answer: Simulator.Answer) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        let half = Array(answer.body.prefix(answer.body.count / 2))
        return Response(status: .ok, headers: fields, body: ResponseBody(contentLength: max(answer.body.count, 1)) { writer in
            if !half.isEmpty { try await writer.write(ByteBuffer(bytes: half)) }
            throw ConnectionDropped()
        })
    }

    static func response(_ answer: Simulator.Answer) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        for (name, value) in answer.headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        return Response(status: .init(code: answer.status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}
