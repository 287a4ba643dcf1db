import Foundation
public import HTTP
import HTTPTypes

/// One shop's Admin GraphQL endpoint: sends documents with the access token, paces calls by the
/// cost bucket so they are not throttled, and retries what is safe to retry (THROTTLED, 429,
/// 5xx, connection errors) with backoff and jitter. Calls whose answer was lost are sent again
/// only if the caller marked them safe to repeat (queries, idempotency-keyed and upsert
/// mutations); otherwise the unknown outcome is reported, never resent blindly.
public actor ShopifyClient {
    /// How persistent the client is.
    public struct RetryPolicy: Sendable {
        public var attempts: Int
        public var baseDelay: Duration
        public var maximumDelay: Duration

        public init(attempts: Int = 5, baseDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(10)) {
            self.attempts = attempts
            self.baseDelay = baseDelay
            self.maximumDelay = maximumDelay
        }
    }

    let shop: String
    let url: String
    private let token: String
    private let http: HTTPClient
    private let retry: RetryPolicy
    private var bucket = CostBucket()
    private(set) var statistics = ShopStatistics()

    /// - Parameters:
    ///   - store: `example.myshopify.com` (HTTPS), or a full `http://host:port` (the simulator).
    public init(shop: String, store: String, apiVersion: String, token: String, http: HTTPClient.Options = .init(), retry: RetryPolicy = .init()) {
        self.shop = shop
        let base = store.contains("://") ? store : "https://" + store
        url = base.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/admin/api/\(apiVersion)/graphql.json"
        self.token = token
        self.http = HTTPClient(options: http)
        self.retry = retry
    }

    /// Sends one operation and decodes its `data`. `estimatedCost` is waited for in the bucket
    /// before sending. GraphQL errors without data throw `invalidCall`; with data they are
    /// returned for the caller to judge.
    func send<Variables: Encodable & Sendable, Payload: Decodable & Sendable>(
        _ document: ShopifyDocument, variables: Variables, estimatedCost: Double, safeToRepeat: Bool, as: Payload.Type = Payload.self
    ) async throws(ShopError) -> GraphQLAnswer<Payload> {
        let body: [UInt8]
        do {
            body = Array(try JSONEncoder().encode(GraphQLRequestBody(query: try document.text, operationName: document.operationName, variables: variables)))
        } catch {
            throw .invalidCall(shop: shop, detail: "cannot build \(document.rawValue): \(error)")
        }
        var lastProblem = ""
        for attempt in 0..<retry.attempts {
            if attempt > 0 { statistics.retries += 1 }
            try await pace(estimatedCost)
            bucket.spend(estimatedCost)
            statistics.apiCalls += 1
            let response: HTTPClient.Response
            do {
                response = try await http.send(request(), body: body)
            } catch {
                lastProblem = error.description
                if error.outcomeUnknown && !safeToRepeat { throw .outcomeUnknown(shop: shop, detail: error.description) }
                guard error.isTransient else { throw .unavailable(shop: shop, detail: error.description) }
                try await backOff(attempt: attempt, retryAfter: nil)
                continue
            }
            let status = response.head.status.code
            switch status {
            case 200:
                break
            case 429:
                statistics.throttledAnswers += 1
                lastProblem = "HTTP 429 Too Many Requests"
                try await backOff(attempt: attempt, retryAfter: response.head.headerFields[.retryAfter].flatMap { Double($0) }, counted: true)
                continue
            case 500...599:
                lastProblem = "HTTP \(status)"
                // A 5xx may come after the work was done; only a repeatable call goes again.
                if !safeToRepeat { throw .outcomeUnknown(shop: shop, detail: lastProblem) }
                try await backOff(attempt: attempt, retryAfter: response.head.headerFields[.retryAfter].flatMap { Double($0) })
                continue
            case 401, 402, 403, 423:
                throw .refused(shop: shop, status: status, detail: String(decoding: response.body.prefix(300), as: UTF8.self))
            default:
                throw .unavailable(shop: shop, detail: "HTTP \(status): \(String(decoding: response.body.prefix(300), as: UTF8.self))")
            }
            let answer: GraphQLAnswer<Payload>
            do {
                answer = try JSONDecoder().decode(GraphQLAnswer<Payload>.self, from: Data(response.body))
            } catch {
                throw .invalidCall(shop: shop, detail: "unreadable answer to \(document.rawValue): \(error)")
            }
            if let cost = answer.extensions?.cost {
                bucket.observe(cost.throttleStatus)
                statistics.costPoints += Int(cost.actualQueryCost ?? 0)
            }
            if answer.errors?.contains(where: { $0.code == "THROTTLED" }) == true {
                // Not executed: wait until the requested cost is back, then send again.
                statistics.throttledAnswers += 1
                lastProblem = "THROTTLED"
                try await pace(answer.extensions?.cost?.requestedQueryCost ?? estimatedCost)
                continue
            }
            if answer.data == nil, let errors = answer.errors, !errors.isEmpty {
                throw .invalidCall(shop: shop, detail: "\(document.rawValue): \(answer.problemSummary)")
            }
            return answer
        }
        throw .unavailable(shop: shop, detail: "gave up after \(retry.attempts) attempts: \(lastProblem)")
    }

    private func request() -> HTTPRequest {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[.accept] = "application/json"
        fields[HTTPField.Name("X-Shopify-Access-Token")!] = token
        let parts = url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        // parts: ["https:", "", "host:port", "admin/api/…"]
        return HTTPRequest(method: .post, scheme: String(parts[0].dropLast()), authority: String(parts[2]), path: "/" + String(parts[3]), headerFields: fields)
    }

    /// Waits until the bucket holds `cost` points (as last reported and restored since).
    private func pace(_ cost: Double) async throws(ShopError) {
        if ShopStop.isRequested { throw .stopped(shop: shop) }
        let wait = bucket.wait(for: min(cost, bucket.maximumAvailable))
        guard wait > .zero else { return }
        statistics.throttledMilliseconds += Self.milliseconds(wait)
        try await nap(wait)
    }

    /// Sleeps `wait`, in slices of at most 100 ms, so that a stop the caller asks for (`ShopStop`)
    /// ends it early.
    private func nap(_ wait: Duration) async throws(ShopError) {
        let end = ContinuousClock.now + wait
        while ContinuousClock.now < end {
            if ShopStop.isRequested { throw .stopped(shop: shop) }
            try? await Task.sleep(for: min(.milliseconds(100), end - ContinuousClock.now))
        }
    }

    /// Exponential backoff with jitter, or the server's Retry-After (seconds).
    private func backOff(attempt: Int, retryAfter: Double?, counted: Bool = false) async throws(ShopError) {
        let exponential = retry.baseDelay * (1 << min(attempt, 10))
        var wait = min(exponential, retry.maximumDelay) + .milliseconds(Int.random(in: 0...250))
        if let retryAfter { wait = max(wait, .milliseconds(Int(retryAfter * 1000))) }
        if counted { statistics.throttledMilliseconds += Self.milliseconds(wait) }
        try await nap(wait)
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
    }

    /// PUTs a staged upload (bulk import) to the address the shop gave; true if accepted.
    func upload(_ bytes: [UInt8], to address: String) async throws(ShopError) {
        let parts = address.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4 else { throw .invalidCall(shop: shop, detail: "odd upload address \(address)") }
        var fields = HTTPFields()
        fields[.contentType] = "text/jsonl"
        let request = HTTPRequest(method: .put, scheme: String(parts[0].dropLast()), authority: String(parts[2]), path: "/" + String(parts[3]), headerFields: fields)
        statistics.apiCalls += 1
        do {
            let response = try await http.send(request, body: bytes)
            guard (200..<300).contains(response.head.status.code) else {
                throw ShopError.unavailable(shop: shop, detail: "upload refused: HTTP \(response.head.status.code)")
            }
        } catch let error as ShopError {
            throw error
        } catch {
            throw .unavailable(shop: shop, detail: "upload failed: \(error)")
        }
    }

    /// GETs a bulk operation's result file.
    func download(_ address: String) async throws(ShopError) -> [UInt8] {
        let parts = address.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4 else { throw .invalidCall(shop: shop, detail: "odd result address \(address)") }
        let request = HTTPRequest(method: .get, scheme: String(parts[0].dropLast()), authority: String(parts[2]), path: "/" + String(parts[3]), headerFields: [:])
        statistics.apiCalls += 1
        do {
            let response = try await http.send(request)
            guard response.head.status.code == 200 else {
                throw ShopError.unavailable(shop: shop, detail: "result download refused: HTTP \(response.head.status.code)")
            }
            return response.body
        } catch let error as ShopError {
            throw error
        } catch {
            throw .unavailable(shop: shop, detail: "result download failed: \(error)")
        }
    }
}
