import Foundation
import GraphQL

/// The simulator's resolvers, by type and field. Root fields compute their answer from the
/// shop's state as nested dictionaries; the executor shapes them to the selection.
enum Resolvers {
    static let all: [String: [String: GraphQLFieldResolve]] = [
        "QueryRoot": [
            "locations": locations, "productVariants": productVariants, "products": products, "product": product,
            "bulkOperation": bulkOperation, "orders": orders, "ordersCount": ordersCount, "order": order, "customers": customers, "customer": customer,
        ],
        "Mutation": [
            "inventorySetQuantities": inventorySetQuantities, "fulfillmentCreate": fulfillmentCreate, "productSet": productSet, "stagedUploadsCreate": stagedUploadsCreate,
            "bulkOperationRunMutation": bulkOperationRunMutation, "bulkOperationRunQuery": bulkOperationRunQuery,
        ],
        "Product": ["variants": nestedConnection("_variants")],
        "Order": [
            "lineItems": nestedConnection("_lineItems"), "shippingLines": nestedConnection("_shippingLines"),
            "fulfillmentOrders": nestedConnection("_fulfillmentOrders"),
        ],
        "FulfillmentOrder": ["lineItems": nestedConnection("_lineItems")],
        "Refund": [
            "refundLineItems": nestedConnection("_lines"), "refundShippingLines": nestedConnection("_shipping"), "transactions": nestedConnection("_transactions"),
        ],
        "InventoryItem": ["inventoryLevel": inventoryLevel],
        "InventoryLevel": ["quantities": quantities],
    ]

    static func context(_ value: any Sendable) -> RequestContext {
        // The endpoint always passes a RequestContext; anything else is a programming error.
        value as! RequestContext
    }

    static let locations: GraphQLFieldResolve = { _, args, context, info in
        let state = Self.context(context).simulator.state
        let all = await state.locations.filter { $0.isActive || args["includeInactive"].bool == true }
        let page = try Pagination.page(all, id: \.id, args: args, field: info.fieldName)
        var nodes: [[String: any Sendable]] = []
        for location in page.items { nodes.append(await state.locationFields(location)) }
        return ["nodes": nodes, "pageInfo": page.pageInfo] as [String: any Sendable]
    }

    /// The values a `query` argument asks for in one search field (`sku:A OR sku:B`); nil for
    /// no query (everything).
    static func searched(_ args: Map, field: String, in rootField: String) throws -> Set<String>? {
        guard let text = args["query"].string, !text.isEmpty else { return nil }
        do {
            return try SearchQuery.parse(text, fields: [field]).terms[field] ?? []
        } catch {
            throw RootError.make(
                "The simulator's search understands \(field):VALUE terms joined by OR, not: \(text)", field: rootField, code: "BAD_REQUEST")
        }
    }

    static let productVariants: GraphQLFieldResolve = { _, args, context, info in
        let state = Self.context(context).simulator.state
        let skus = try searched(args, field: "sku", in: info.fieldName)
        let page = try Pagination.page(await state.variants(skus: skus), id: \.id, args: args, field: info.fieldName)
        var nodes: [[String: any Sendable]] = []
        for variant in page.items { nodes.append(await state.variantNode(variant)) }
        return ["nodes": nodes, "pageInfo": page.pageInfo] as [String: any Sendable]
    }

    static let products: GraphQLFieldResolve = { _, args, context, info in
        let state = Self.context(context).simulator.state
        let handles = try searched(args, field: "handle", in: info.fieldName)
        let all = await state.products.values.filter { handles?.contains($0.handle) ?? true }.sorted { $0.id < $1.id }
        let page = try Pagination.page(all, id: \.id, args: args, field: info.fieldName)
        var nodes: [[String: any Sendable]] = []
        for product in page.items { nodes.append(await state.productNode(product)) }
        return ["nodes": nodes, "pageInfo": page.pageInfo] as [String: any Sendable]
    }

    static let product: GraphQLFieldResolve = { _, args, context, _ in
        let state = Self.context(context).simulator.state
        guard let id = args["id"].string.flatMap({ GID.number($0, type: "Product") }), let product = await state.products[id] else { return nil }
        return await state.productNode(product)
    }

    static let inventoryLevel: GraphQLFieldResolve = { source, args, _, _ in
        let levels = (source as? [String: any Sendable])?["_levels"] as? [String: any Sendable]
        return args["locationId"].string.flatMap { levels?[$0] }
    }

    static let quantities: GraphQLFieldResolve = { source, args, _, _ in
        let all = (source as? [String: any Sendable])?["_quantities"] as? [String: Int] ?? [:]
        let levelID = (source as? [String: any Sendable])?["id"] as? String ?? ""
        return (args["names"].array ?? []).compactMap(\.string).compactMap { name -> [String: any Sendable]? in
            guard let quantity = all[name] else { return nil }
            return ["id": "\(levelID)&name=\(name)", "name": name, "quantity": quantity]
        }
    }

    static let bulkOperation: GraphQLFieldResolve = { _, args, context, _ in
        let simulator = Self.context(context).simulator
        guard let id = args["id"].string.flatMap({ GID.number($0, type: "BulkOperation") }), let record = await simulator.state.bulkOperations[id] else {
            return nil
        }
        return simulator.bulkNode(record)
    }
}
