import Foundation
import GraphQL
import OrderedCollections
import Synchronization

/// The simulated shop behind the HTTP routes: schema, state, cost bucket, queued faults and
/// call statistics. One per process.
final class Simulator: Sendable {
    let options: SimulatorOptions
    let schema: GraphQLSchema
    let state: ShopState
    let costs: CostCalculator
    let bucket: Mutex<ThrottleBucket>
    let faults = Mutex<[Fault]>([])
    let statistics = Mutex(CallStatistics())
    let webhooks: WebhookSender
    private let base = Mutex("")

    static let maximumCost = 1000
    static let documentation = "https://shopify.dev/api/usage/limits#rate-limits"

    init(options: SimulatorOptions) throws {
        self.options = options
        schema = try SimulatorSchema.build(path: options.schemaPath)
        state = ShopState(locationNames: options.locations)
        costs = CostCalculator(schema: schema)
        bucket = Mutex(ThrottleBucket(maximumAvailable: options.bucketSize, restoreRate: options.restoreRate))
        webhooks = WebhookSender(settings: options.webhookURL.map { WebhookSender.Settings(url: $0, secret: options.webhookSecret ?? "") })
    }

    /// `http://127.0.0.1:PORT`, known once the server listens (for upload and result URLs).
    var baseURL: String {
        get { base.withLock { $0 } }
        set { base.withLock { $0 = newValue } }
    }

    /// An HTTP answer.
    struct Answer: Sendable {
        var status: Int = 200
        var headers: [(String, String)] = []
        var body: [UInt8]
        /// Wait this long before answering (the slow and lost-answer faults).
        var delay: Duration = .zero
        /// Close the connection instead of answering (part of the answer may have been sent).
        var dropConnection = false
    }

    /// One `POST /admin/api/<version>/graphql.json`.
    func graphQL(body: [UInt8], token: String?) async -> Answer {
        guard token == options.token else {
            return Answer(status: 401, body: Array(#"{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}"#.utf8))
        }
        let fault = faults.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        var delay = Duration.zero
        switch fault {
        case .http(let status, let retryAfter):
            statistics.withLock { $0.calls += 1; $0.rejected += 1 }
            let message = status == 429 ? "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." : "Internal Server Error"
            return Answer(
                status: status, headers: retryAfter.map { [("Retry-After", String($0))] } ?? [],
                body: Array(#"{"errors":"\#(message)"}"#.utf8))
        case .slow(let milliseconds): try? await Task.sleep(for: .milliseconds(milliseconds))
        case .lostAnswer(let milliseconds): delay = .milliseconds(milliseconds)
        case .drop(let afterApplying):
            if !afterApplying { statistics.withLock { $0.calls += 1; $0.rejected += 1 } }
            var answer = afterApplying ? await execute(body: body, forceThrottle: false) : Answer(body: [])
            answer.dropConnection = true
            return answer
        case .pass, .throttled, nil: break
        }
        var answer = await execute(body: body, forceThrottle: fault == .throttled)
        answer.delay = delay
        return answer
    }

    private func execute(body: [UInt8], forceThrottle: Bool) async -> Answer {
        statistics.withLock { $0.calls += 1 }
        guard let request = JSONMap.object(body), let query = request["query"] as? String else {
            statistics.withLock { $0.rejected += 1 }
            return Answer(status: 400, body: Array(#"{"errors":"Bad Request: the body must be JSON with a query"}"#.utf8))
        }
        let operationName = request["operationName"] as? String
        let document: Document
        do {
            document = try parse(source: Source(body: query, name: "GraphQL request"))
        } catch let error as GraphQLError {
            return rejected([GraphQLError(message: error.message, locations: error.locations, extensions: ["code": "PARSE_ERROR"])])
        } catch {
            return rejected([GraphQLError(message: "\(error)", extensions: ["code": "PARSE_ERROR"])])
        }
        let problems = validate(schema: schema, ast: document)
        guard problems.isEmpty else { return rejected(problems) }
        let operations = document.definitions.compactMap { $0 as? OperationDefinition }
        guard let operation = operations.first(where: { operationName == nil || $0.name?.value == operationName }) else {
            return rejected([GraphQLError(message: "No operation named \(operationName ?? "")", extensions: ["code": "BAD_REQUEST"])])
        }
        let variables = (request["variables"] as? [String: Any] ?? [:]).mapValues(JSONMap.map)
        let variableMap = Map.dictionary(.init(uniqueKeysWithValues: variables.map { ($0, $1) }))
        let requested = costs.cost(of: operation, document: document, variables: variableMap)
        if requested > Self.maximumCost {
            return rejected([GraphQLError(
                message: "Query cost is \(requested), which exceeds the single query max cost limit (\(Self.maximumCost)).\n\nSee \(Self.documentation) for more information on how to reduce the cost of your query.",
                extensions: ["code": "MAX_COST_EXCEEDED", "cost": .int(requested), "maxCost": .int(Self.maximumCost), "documentation": .string(Self.documentation)])])
        }
        let admitted = !forceThrottle && bucket.withLock { $0.admit(Double(requested)) }
        guard admitted else {
            statistics.withLock { $0.throttled += 1 }
            let envelope = Envelope(
                errors: [GraphQLError(message: "Throttled", extensions: ["code": "THROTTLED", "documentation": .string(Self.documentation)])],
                extensions: .init(cost: cost(requested: requested, actual: nil)))
            return Answer(body: envelope.json())
        }
        let name = operation.name?.value ?? operation.selectionSet.selections.compactMap { ($0 as? Field)?.name.value }.joined(separator: ",")
        let result: GraphQLResult
        do {
            result = try await GraphQL.execute(
                schema: schema, documentAST: document, rootValue: [String: any Sendable](), context: RequestContext(simulator: self, rawVariables: variables),
                variableValues: variables, operationName: operation.name?.value)
        } catch {
            bucket.withLock { $0.refund(Double(requested)) }
            return rejected([GraphQLError(message: "\(error)", extensions: ["code": "INTERNAL_SERVER_ERROR"])])
        }
        // Variables that do not fit the schema's types stop the call before execution (no data
        // at all): Shopify answers errors only, and charges nothing.
        if result.data == nil, !result.errors.isEmpty, result.errors.allSatisfy({ $0.message.hasPrefix("Variable \"$") }) {
            bucket.withLock { $0.refund(Double(requested)) }
            return rejected(result.errors)
        }
        let actual = operation.operation == .mutation
            ? requested
            : costs.cost(of: operation, document: document, variables: variableMap, result: result.data ?? .null)
        bucket.withLock { $0.refund(Double(requested - actual)) }
        statistics.withLock {
            $0.costPoints += actual
            $0.operations[name, default: 0] += 1
        }
        // An input over a size limit is refused before execution: no data at all.
        let oversize = result.errors.contains { $0.extensions["code"] == "MAX_INPUT_SIZE_EXCEEDED" }
        let envelope = Envelope(
            data: oversize ? nil : result.data ?? .null, errors: result.errors.isEmpty ? nil : result.errors,
            extensions: .init(cost: cost(requested: requested, actual: actual)))
        return Answer(body: envelope.json())
    }

    /// A call that did not validate: HTTP 200, `errors` only, no cost.
    private func rejected(_ errors: [GraphQLError]) -> Answer {
        statistics.withLock { $0.rejected += 1 }
        return Answer(body: Envelope(errors: errors).json())
    }

    private func cost(requested: Int, actual: Int?) -> Envelope.Cost {
        let available = bucket.withLock { $0.currentlyAvailable() }
        return Envelope.Cost(
            requestedQueryCost: requested, actualQueryCost: actual,
            throttleStatus: .init(maximumAvailable: options.bucketSize, currentlyAvailable: (available * 10).rounded(.down) / 10, restoreRate: options.restoreRate))
    }

    /// Runs a bulk mutation: every JSONL line's variables through the mutation (no cost, as
    /// Shopify runs them), one result line per input line with its `__lineNumber`.
    func runBulk(id: Int, document: Document, lines: [UInt8]) async {
        var output: [UInt8] = []
        var count = 0
        for (number, line) in lines.split(separator: UInt8(ascii: "\n")).enumerated() {
            count += 1
            var resultLine: [String: Map] = ["__lineNumber": .int(number)]
            if let variables = JSONMap.object(Array(line))?.mapValues(JSONMap.map),
                let result = try? await GraphQL.execute(
                    schema: schema, documentAST: document, rootValue: [String: any Sendable](),
                    context: RequestContext(simulator: self, rawVariables: variables), variableValues: variables)
            {
                if let data = result.data { resultLine["data"] = data }
                if !result.errors.isEmpty { resultLine["errors"] = .array(result.errors.map { .dictionary(["message": .string($0.message)]) }) }
            } else {
                resultLine["errors"] = .array([.dictionary(["message": .string("The line is not a JSON object of variables.")])])
            }
            output += Array((try? JSONEncoder().encode(resultLine)) ?? Data())
            output.append(UInt8(ascii: "\n"))
        }
        await state.finishBulkOperation(id: id, result: output, objects: count)
    }

    /// Runs a bulk query with every connection unpaged and writes its result as Shopify does:
    /// the root connection's nodes one a line, nested connections' nodes on lines of their own
    /// after their parent, each with `__parentId`.
    func runBulkQuery(id: Int, document: Document) async {
        var output: [UInt8] = []
        var count = 0
        let result = try? await GraphQL.execute(
            schema: schema, documentAST: document, rootValue: [String: any Sendable](),
            context: RequestContext(simulator: self, rawVariables: [:], bulk: true), variableValues: [:])
        func nodes(of connection: Map) -> [Map]? {
            if let edges = connection["edges"].array { return edges.map { $0["node"] } }
            return connection["nodes"].array
        }
        func emit(_ node: Map, parent: String?) {
            guard case .dictionary(var fields) = node else { return }
            var children: [Map] = []
            for (key, value) in fields {
                if case .dictionary = value, let inner = nodes(of: value) {
                    children += inner
                    fields.removeValue(forKey: key)
                }
            }
            if let parent { fields["__parentId"] = .string(parent) }
            output += Array((try? JSONEncoder().encode(Map.dictionary(fields))) ?? Data())
            output.append(UInt8(ascii: "\n"))
            count += 1
            let id = fields["id"]?.string
            for child in children { emit(child, parent: id) }
        }
        if let data = result?.data, case .dictionary(let roots) = data {
            for (_, root) in roots { for node in nodes(of: root) ?? [] { emit(node, parent: nil) } }
        }
        await state.finishBulkOperation(id: id, result: output, objects: count)
    }

    func bulkNode(_ record: BulkOperationRecord) -> [String: any Sendable] {
        [
            "id": GID.make("BulkOperation", record.id), "status": record.status, "type": record.type, "createdAt": record.createdAt,
            "completedAt": record.completedAt, "errorCode": record.errorCode, "objectCount": String(record.objectCount),
            "url": record.resultPath.map { baseURL + $0 }, "partialDataUrl": nil as String?,
        ]
    }
}
