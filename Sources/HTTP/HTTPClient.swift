import Foundation
public import HTTPTypes

/// An HTTP client over libcurl. libcurl calls block, so the actor runs on its own serial
/// dispatch queue instead of Swift's cooperative pool; one transfer at a time per client (a
/// per-shop concurrency limit is then one client per slot).
public actor HTTPClient {
    /// How a transfer may behave.
    public struct Options: Sendable {
        /// The whole transfer, connect included.
        public var timeout: Duration
        public var connectTimeout: Duration
        /// `http://proxy:3128`, or nil for none (libcurl also honours `https_proxy`).
        public var proxy: String?
        /// Check the server's certificate and name (never turn off against a real shop).
        public var verifyTLS: Bool

        public init(timeout: Duration = .seconds(60), connectTimeout: Duration = .seconds(10), proxy: String? = nil, verifyTLS: Bool = true) {
            self.timeout = timeout
            self.connectTimeout = connectTimeout
            self.proxy = proxy
            self.verifyTLS = verifyTLS
        }
    }

    /// An answer: status and headers, and the body.
    public struct Response: Sendable {
        public var head: HTTPResponse
        public var body: [UInt8]
    }

    private let executor = QueueExecutor(label: "hafen.http")
    private let options: Options
    /// One easy handle for all requests: libcurl keeps its connections, so calls to a shop reuse
    /// one TLS connection instead of a handshake each.
    private var easy: EasyHandle?

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Sends one request and waits for the whole answer. An HTTP error status is an answer,
    /// not a thrown error; only a transfer that did not complete throws.
    public func send(_ request: HTTPRequest, body: [UInt8]? = nil) throws(CurlError) -> Response {
        let url = "\(request.scheme ?? "https")://\(request.authority ?? "")\(request.path ?? "/")"
        let easy: EasyHandle
        if let existing = self.easy {
            easy = existing
        } else {
            easy = try EasyHandle()
            self.easy = easy
        }
        easy.reset()
        try easy.prepare(
            method: request.method.rawValue, url: url, headers: request.headerFields.map { "\($0.name.rawName): \($0.value)" }, body: body,
            timeoutMS: Self.milliseconds(options.timeout), connectTimeoutMS: Self.milliseconds(options.connectTimeout), proxy: options.proxy,
            verifyTLS: options.verifyTLS)
        let (status, lines, bytes) = try easy.perform()
        var fields = HTTPFields()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), let name = HTTPField.Name(String(line[..<colon])) else { continue }
            fields.append(HTTPField(name: name, value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return Response(head: HTTPResponse(status: HTTPResponse.Status(code: status), headerFields: fields), body: bytes)
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
