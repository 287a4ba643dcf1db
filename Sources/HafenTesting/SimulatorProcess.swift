import Foundation
import HTTP
public import HTTPTypes
#if canImport(Glibc)
import Glibc
#endif

/// A real `hafen simulator` process on a free loopback port, for tests: started with the given
/// options, reached over HTTP (libcurl), killed and reaped when released.
public final class SimulatorProcess: @unchecked Sendable {
    public let port: Int
    public let token: String
    private let process: ChildProcess
    private let http = HTTPClient(options: .init(timeout: .seconds(10)))

    /// The store address a shop config uses for this simulator.
    public var store: String { "http://127.0.0.1:\(port)" }

    /// - Parameter arguments: extra options, e.g. `["--bucket", "50", "--restore-rate", "10"]`.
    public init(token: String = "shpat_test", arguments: [String] = []) throws {
        self.token = token
        let directory = try TemporaryDirectory()
        let portFile = directory.path + "/port"
        let log = directory.path + "/simulator.log"
        let process = try ChildProcess(
            [HafenBinary.path, "simulator", "--port", "0", "--port-file", portFile, "--token", token, "--log-level", "error"] + arguments,
            stderr: .file(log))
        self.process = process
        guard let found = PortFile.wait(portFile, seconds: 30, while: { process.isRunning }) else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw SimulatorFailed(message: "the simulator did not start within 30 s: \(output)")
        }
        port = found
        withExtendedLifetime(directory) {}
    }

    /// Calls an admin route and returns its JSON.
    @discardableResult
    public func admin(_ method: HTTPRequest.Method, _ path: String, json body: String? = nil) async throws -> Any {
        let request = HTTPRequest(method: method, scheme: "http", authority: "127.0.0.1:\(port)", path: path, headerFields: [.contentType: "application/json"])
        let response = try await http.send(request, body: body.map { Array($0.utf8) } ?? (method == .post ? [] : nil))
        return try JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])
    }

    /// A route's body as text (bulk results are JSON lines, not one JSON value).
    public func text(_ path: String) async throws -> String {
        let request = HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:\(port)", path: path)
        return String(decoding: try await http.send(request).body, as: UTF8.self)
    }

    /// Sends a GraphQL document as the connector would; returns status and the JSON answer.
    public func graphQL(_ query: String, variables: [String: Any] = [:], token: String? = nil) async throws -> (status: Int, json: [String: Any]) {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[HTTPField.Name("X-Shopify-Access-Token")!] = token ?? self.token
        let request = HTTPRequest(method: .post, scheme: "http", authority: "127.0.0.1:\(port)", path: "/admin/api/2026-07/graphql.json", headerFields: fields)
        let body = try JSONSerialization.data(withJSONObject: ["query": query, "variables": variables])
        let response = try await http.send(request, body: Array(body))
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return (response.head.status.code, json)
    }

    /// Stock levels by `SKU@location` → available.
    public func inventory() async throws -> [String: Int] {
        let rows = try await admin(.get, "/admin/inventory") as? [[String: Any]] ?? []
        var levels: [String: Int] = [:]
        for row in rows {
            levels["\(row["sku"] ?? "")@\(row["location"] ?? "")"] = row["available"] as? Int
        }
        return levels
    }

    /// The simulator's call counters (`total`, `throttled`, `rejected`, `cost_points`, `by_operation`).
    public func calls() async throws -> [String: Any] {
        (try await admin(.get, "/admin/state") as? [String: Any])?["calls"] as? [String: Any] ?? [:]
    }

    /// Queues faults for the next calls, e.g. `[{"kind": "throttled"}]`.
    public func inject(_ faultsJSON: String) async throws {
        try await admin(.post, "/admin/faults", json: faultsJSON)
    }
}

public struct SimulatorFailed: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
