import Foundation
import HTTP
import HTTPTypes
import Testing

/// The libcurl client against a real server on loopback.
@Suite struct HTTPClientTests {
    let server: EchoServer

    init() throws {
        server = try EchoServer()
    }

    func request(_ method: HTTPRequest.Method, _ path: String, headers: HTTPFields = [:]) -> HTTPRequest {
        HTTPRequest(method: method, scheme: "http", authority: "127.0.0.1:\(server.port)", path: path, headerFields: headers)
    }

    @Test func postsABodyWithHeadersAndReadsTheAnswer() async throws {
        let client = HTTPClient()
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("X-Shopify-Access-Token")!] = "secret"
        let response = try await client.send(request(.post, "/echo?x=1", headers: headers), body: Array(#"{"query":"{ shop { name } }"}"#.utf8))
        #expect(response.head.status == .ok)
        #expect(response.head.headerFields[HTTPField.Name("X-Echo")!] == "yes")
        let echo = try JSONSerialization.jsonObject(with: Data(response.body)) as! [String: Any]
        #expect(echo["method"] as? String == "POST")
        #expect(echo["path"] as? String == "/echo?x=1")
        #expect(echo["body"] as? String == #"{"query":"{ shop { name } }"}"#)
        let sent = echo["headers"] as! [String: String]
        #expect(sent["x-shopify-access-token"] == "secret")
        #expect(sent["content-type"] == "application/json")
        #expect(sent["expect"] == nil, "no 100-continue round trip")
    }

    /// Calls to one shop reuse the connection (no new TCP or TLS handshake per call), and a
    /// request does not inherit the previous one's headers or body.
    @Test func reusesTheConnectionAndStartsEachRequestAfresh() async throws {
        let client = HTTPClient()
        var headers = HTTPFields()
        headers[HTTPField.Name("X-First")!] = "1"
        let first = try JSONSerialization.jsonObject(with: Data(try await client.send(request(.post, "/echo", headers: headers), body: Array("one".utf8)).body)) as! [String: Any]
        let second = try JSONSerialization.jsonObject(with: Data(try await client.send(request(.get, "/echo")).body)) as! [String: Any]
        #expect(first["client_port"] as? Int == second["client_port"] as? Int)
        #expect(second["method"] as? String == "GET")
        #expect(second["body"] as? String == "")
        #expect((second["headers"] as! [String: String])["x-first"] == nil)
    }

    @Test func returnsAnErrorStatusAsAnAnswerWithItsHeaders() async throws {
        let response = try await HTTPClient().send(request(.get, "/status/429"))
        #expect(response.head.status.code == 429)
        #expect(response.head.headerFields[.retryAfter] == "2")
    }

    @Test func readsLargeBodiesWhole() async throws {
        let response = try await HTTPClient().send(request(.get, "/big"))
        #expect(response.body.count == 1 << 20)
        #expect(response.body[257] == 1)
    }

    @Test func timesOutAndSaysTheOutcomeIsUnknown() async throws {
        let client = HTTPClient(options: .init(timeout: .milliseconds(300)))
        do {
            _ = try await client.send(request(.post, "/slow"), body: [1])
            Issue.record("expected a timeout")
        } catch {
            #expect(error.code == 28)
            #expect(error.isTransient && error.outcomeUnknown)
            #expect(error.url == "http://127.0.0.1:\(server.port)/slow")
        }
    }

    @Test func reportsARefusedConnectionAsTransient() async throws {
        let closed = HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:9", path: "/")
        do {
            _ = try await HTTPClient().send(closed)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.code == 7)
            #expect(error.isTransient && !error.outcomeUnknown, "nothing was sent, so resending is safe")
        }
    }

    @Test func refusesSchemesOtherThanHTTP() async throws {
        let file = HTTPRequest(method: .get, scheme: "file", authority: "", path: "/etc/passwd")
        await #expect(throws: CurlError.self) { try await HTTPClient().send(file) }
    }
}
