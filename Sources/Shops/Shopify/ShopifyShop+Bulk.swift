import Commerce
import Foundation

/// Bulk import of products: one JSONL line of productSet variables per product, uploaded to a
/// staged target, run by `bulkOperationRunMutation`, polled until finished, and the result
/// JSONL read back into one outcome per product (by `__lineNumber`).
extension ShopifyShop {
    private struct StagedUploadVariables: Encodable, Sendable {
        struct Input: Encodable, Sendable {
            var resource = "BULK_MUTATION_VARIABLES"
            var filename: String
            var mimeType = "text/jsonl"
            var httpMethod = "PUT"
        }

        var input: [Input]
    }

    private struct RunVariables: Encodable, Sendable {
        var mutation: String
        var stagedUploadPath: String
    }

    struct PollVariables: Encodable, Sendable {
        var id: String
    }

    private struct ResultLine: Decodable {
        var data: ProductSetAnswer?
        var errors: [GraphQLAnswer<ProductSetAnswer>.Problem]?
        var lineNumber: Int

        enum CodingKeys: String, CodingKey {
            case data, errors
            case lineNumber = "__lineNumber"
        }
    }

    func bulkSetProducts(_ products: [Product], reference: String) async throws(ShopError) -> [ObjectOutcome] {
        var jsonl: [UInt8] = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for product in products {
            guard let line = try? encoder.encode(ProductSetVariables(product)) else {
                throw .invalidCall(shop: name, detail: "cannot encode product \(product.handle)")
            }
            jsonl += line
            jsonl.append(UInt8(ascii: "\n"))
        }
        let staged = try await client.send(
            .stagedUploadsCreate, variables: StagedUploadVariables(input: [.init(filename: "hafen-\(reference).jsonl")]), estimatedCost: 10,
            safeToRepeat: true, as: StagedUploadsAnswer.self)
        guard let target = staged.data?.stagedUploadsCreate?.stagedTargets?.first, let url = target.url,
            let key = target.parameters.first(where: { $0.name == "key" })?.value
        else {
            let detail = staged.data?.stagedUploadsCreate?.userErrors.first?.message ?? staged.problemSummary
            throw .invalidCall(shop: name, detail: "stagedUploadsCreate gave no upload target: \(detail)")
        }
        try await client.upload(jsonl, to: url)
        let mutation: String
        do { mutation = try ShopifyDocument.productSet.text } catch { throw .invalidCall(shop: name, detail: "\(error)") }
        // Not safe to repeat: a lost answer could mean the import already runs.
        let run = try await client.send(
            .bulkOperationRunMutation, variables: RunVariables(mutation: mutation, stagedUploadPath: key), estimatedCost: 10,
            safeToRepeat: false, as: BulkOperationAnswer.self)
        guard let operation = run.data?.bulkOperationRunMutation?.bulkOperation else {
            let detail = run.data?.bulkOperationRunMutation?.userErrors.map { "\($0.code ?? ""): \($0.message)" }.joined(separator: "; ") ?? run.problemSummary
            throw .invalidCall(shop: name, detail: "bulkOperationRunMutation: \(detail)")
        }
        let resultURL = try await completion(of: operation, what: "bulk import")
        let result = try await client.download(resultURL)
        var outcomes = [ObjectOutcome](repeating: .refused(ShopObjectError(code: nil, field: nil, message: "no result line")), count: products.count)
        for line in result.split(separator: UInt8(ascii: "\n")) {
            guard let entry = try? JSONDecoder().decode(ResultLine.self, from: Data(line)), (0..<products.count).contains(entry.lineNumber) else { continue }
            if let payload = entry.data?.productSet, let product = payload.product, payload.userErrors.isEmpty {
                outcomes[entry.lineNumber] = .applied(ids: ProductSetAnswer.ids(product))
            } else if let error = entry.data?.productSet?.userErrors.first {
                outcomes[entry.lineNumber] = .refused(error.objectError)
            } else if let problem = entry.errors?.first {
                outcomes[entry.lineNumber] = .refused(ShopObjectError(code: problem.code, field: nil, message: problem.message))
            }
        }
        return outcomes
    }

    /// Polls a bulk operation until it ends; answers its result's URL, or throws if it did not
    /// complete.
    func completion(of started: BulkOperationAnswer.Operation, what: String) async throws(ShopError) -> String {
        var operation = started
        while operation.status == "CREATED" || operation.status == "RUNNING" || operation.status == "CANCELING" {
            try? await Task.sleep(for: bulkPollInterval)
            let poll = try await client.send(
                .bulkOperation, variables: PollVariables(id: operation.id), estimatedCost: 1, safeToRepeat: true, as: BulkOperationAnswer.self)
            guard let current = poll.data?.bulkOperation else { throw .invalidCall(shop: name, detail: "bulk operation \(operation.id) vanished") }
            operation = current
        }
        guard operation.status == "COMPLETED", let url = operation.url else {
            throw .unavailable(shop: name, detail: "\(what) \(operation.id) ended \(operation.status) \(operation.errorCode ?? "")")
        }
        return url
    }
}
