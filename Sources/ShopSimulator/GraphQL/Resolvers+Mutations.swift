import Foundation
import GraphQL

/// The mutations, with the runtime rules Shopify enforces beyond the schema: `@idempotent` on
/// the inventory mutation, `changeFromQuantity` present in every quantity, at most 250
/// quantities and 2048 variants per call.
extension Resolvers {
    static let maximumArray = 250
    static let maximumVariants = 2048

    static let inventorySetQuantities: GraphQLFieldResolve = { _, args, context, info in
        let request = Self.context(context)
        let field = info.fieldName
        guard let directive = info.fieldASTs.first?.directives.first(where: { $0.name.value == "idempotent" }) else {
            throw RootError.make("The @idempotent directive is required for this mutation but was not provided.", field: field, code: "BAD_REQUEST")
        }
        let key = try directive.arguments.first { $0.name.value == "key" }
            .map { try valueFromASTUntyped(valueAST: $0.value, variables: request.rawVariables) }?.string ?? ""
        guard !key.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RootError.make("The idempotency key can't be blank.", field: field, code: "BAD_REQUEST")
        }
        let raw = try info.fieldASTs.first?.arguments.first { $0.name.value == "input" }
            .map { try valueFromASTUntyped(valueAST: $0.value, variables: request.rawVariables) } ?? .undefined
        let quantities = raw["quantities"].array ?? []
        guard quantities.count <= maximumArray else {
            throw RootError.make(
                "The input array size of \(quantities.count) is greater than the maximum allowed of \(maximumArray).", field: field,
                code: "MAX_INPUT_SIZE_EXCEEDED")
        }
        if quantities.contains(where: { !$0.has("changeFromQuantity") }) {
            throw RootError.make(
                "InventoryQuantityInput must include the following argument: changeFromQuantity.", field: field, code: "INVALID_FIELD_ARGUMENTS")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let fingerprint = String(decoding: try encoder.encode(args["input"]), as: UTF8.self)
        return await request.simulator.state.setQuantities(input: args["input"], key: key, fingerprint: fingerprint)
    }

    static let fulfillmentCreate: GraphQLFieldResolve = { _, args, context, _ in
        let simulator = Self.context(context).simulator
        let (payload, order) = await simulator.state.createFulfillment(args["fulfillment"])
        if let order, let fulfillment = order.fulfillments.last {
            await simulator.webhooks.send(topics: ["fulfillments/create"], payload: await simulator.state.webhookPayload(fulfillment, order: order))
            let topics = ["orders/updated"] + (order.fulfillmentStatus == "FULFILLED" ? ["orders/fulfilled"] : [])
            await simulator.webhooks.send(topics: topics, payload: await simulator.state.webhookPayload(order))
        }
        return payload
    }

    static let productSet: GraphQLFieldResolve = { _, args, context, info in
        let variants = args["input"]["variants"].array?.count ?? 0
        guard variants <= maximumVariants else {
            throw RootError.make(
                "The input array size of \(variants) is greater than the maximum allowed of \(maximumVariants).", field: info.fieldName,
                code: "MAX_INPUT_SIZE_EXCEEDED")
        }
        return await Self.context(context).simulator.state.productSet(identifier: args["identifier"], input: args["input"])
    }

    static let stagedUploadsCreate: GraphQLFieldResolve = { _, args, context, _ in
        let simulator = Self.context(context).simulator
        var targets: [[String: any Sendable]] = []
        for input in args["input"].array ?? [] {
            let id = UUID().uuidString.lowercased()
            let key = "tmp/hafen/bulk/\(id)/\(input["filename"].string ?? "upload.jsonl")"
            await simulator.state.stage(StagedUpload(path: key), id: id)
            let url = simulator.baseURL + "/staged-uploads/\(id)"
            targets.append(["url": url, "resourceUrl": url, "parameters": [["name": "key", "value": key] as [String: any Sendable]]])
        }
        return ["stagedTargets": targets, "userErrors": [[String: any Sendable]]()] as [String: any Sendable]
    }

    static let bulkOperationRunMutation: GraphQLFieldResolve = { _, args, context, _ in
        let simulator = Self.context(context).simulator
        func failure(_ field: String, _ message: String, _ code: String) -> [String: any Sendable] {
            ["bulkOperation": nil as (any Sendable)?, "userErrors": [userError([field], message, code: code)]]
        }
        guard await simulator.state.runningBulkOperations() < 5 else {
            return failure("mutation", "A bulk mutation operation for this app and shop is already in progress.", "OPERATION_IN_PROGRESS")
        }
        let text = args["mutation"].string ?? ""
        let document: Document
        do {
            document = try parse(source: Source(body: text, name: "bulk mutation"))
        } catch {
            return failure("mutation", "Invalid mutation: \(error)", "INVALID_MUTATION")
        }
        let problems = validate(schema: simulator.schema, ast: document)
        let operations = document.definitions.compactMap { $0 as? OperationDefinition }
        guard problems.isEmpty, operations.count == 1, operations[0].operation == .mutation else {
            let detail = problems.first?.message ?? "the document must hold exactly one mutation"
            return failure("mutation", "Invalid mutation: \(detail)", "INVALID_MUTATION")
        }
        let path = args["stagedUploadPath"].string ?? ""
        guard let upload = await simulator.state.upload(path: path) else {
            return failure("stagedUploadPath", "The staged upload file does not exist.", "NO_SUCH_FILE")
        }
        guard let body = upload.body, !body.isEmpty else {
            return failure("stagedUploadPath", "The staged upload file is empty.", "INVALID_STAGED_UPLOAD_FILE")
        }
        let record = await simulator.state.startBulkOperation()
        Task { await simulator.runBulk(id: record.id, document: document, lines: body) }
        return ["bulkOperation": simulator.bulkNode(record), "userErrors": [[String: any Sendable]]()] as [String: any Sendable]
    }

    /// A bulk query: validated now, run in the background; its result is JSONL with one object a
    /// line, children of nested connections on lines of their own with `__parentId`.
    static let bulkOperationRunQuery: GraphQLFieldResolve = { _, args, context, _ in
        let simulator = Self.context(context).simulator
        func failure(_ message: String, _ code: String) -> [String: any Sendable] {
            ["bulkOperation": nil as (any Sendable)?, "userErrors": [userError(["query"], message, code: code)]]
        }
        // From 2026-01 on, five bulk queries may run at once per app and shop.
        guard await simulator.state.runningBulkOperations(type: "QUERY") < 5 else {
            return failure("A bulk query operation for this app and shop is already in progress.", "OPERATION_IN_PROGRESS")
        }
        let document: Document
        do {
            document = try parse(source: Source(body: args["query"].string ?? "", name: "bulk query"))
        } catch {
            return failure("Invalid bulk query: \(error)", "INVALID")
        }
        let problems = validate(schema: simulator.schema, ast: document)
        let operations = document.definitions.compactMap { $0 as? OperationDefinition }
        guard problems.isEmpty, operations.count == 1, operations[0].operation == .query, operations[0].variableDefinitions.isEmpty else {
            return failure("Invalid bulk query: \(problems.first?.message ?? "the document must hold one query without variables")", "INVALID")
        }
        let record = await simulator.state.startBulkOperation(type: "QUERY")
        Task { await simulator.runBulkQuery(id: record.id, document: document) }
        return ["bulkOperation": simulator.bulkNode(record), "userErrors": [[String: any Sendable]]()] as [String: any Sendable]
    }
}
