import GraphQL

/// `orders`, `order`, `customers`, `customer`, and an order's line items.
extension Resolvers {
    static let orderFields: [String: FilterQuery.Kind] = [
        "updated_at": .time, "created_at": .time, "financial_status": .text, "fulfillment_status": .text, "test": .text, "email": .text,
        "name": .text,
    ]
    static let customerFields: [String: FilterQuery.Kind] = ["updated_at": .time, "created_at": .time, "email": .text]

    static func filter(_ args: Map, fields: [String: FilterQuery.Kind], in rootField: String) throws -> FilterQuery {
        guard let text = args["query"].string, !text.isEmpty else { return FilterQuery() }
        do {
            return try FilterQuery.parse(text, fields: fields)
        } catch {
            throw RootError.make("The simulator cannot read the search \(text): \(error.message)", field: rootField, code: "BAD_REQUEST")
        }
    }

    static func matches(_ order: OrderRecord, _ query: FilterQuery) -> Bool {
        query.terms.allSatisfy { field, condition in
            switch field {
            case "updated_at": condition.holds(time: order.updatedAt)
            case "created_at": condition.holds(time: order.createdAt)
            case "financial_status": condition.holds(text: order.financialStatus)
            case "fulfillment_status": condition.holds(text: order.fulfillmentStatus)
            case "test": condition.holds(text: order.test ? "true" : "false")
            case "email": condition.holds(text: order.email)
            case "name": condition.holds(text: "#\(order.number)") || condition.holds(text: "\(order.number)")
            default: false
            }
        }
    }

    static let orders: GraphQLFieldResolve = { _, args, context, info in
        let state = Self.context(context).simulator.state
        let query = try filter(args, fields: orderFields, in: info.fieldName)
        var all = await state.orders.values.filter { matches($0, query) }
        let sortKey = args["sortKey"].string ?? "PROCESSED_AT"
        switch sortKey {
        case "UPDATED_AT": all.sort { ($0.updatedAt, $0.id) < ($1.updatedAt, $1.id) }
        case "CREATED_AT", "PROCESSED_AT": all.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        default: all.sort { $0.id < $1.id }
        }
        let reverse = args["reverse"].bool ?? false
        if reverse { all.reverse() }
        let page = try Pagination.page(
            all, id: \.id, args: args, field: info.fieldName, sortedByID: sortKey == "ID" && !reverse, bulk: Self.context(context).bulk)
        var nodes: [[String: any Sendable]] = []
        for order in page.items { nodes.append(await state.orderNode(order)) }
        return Pagination.connection(nodes, ids: page.items.map(\.id), pageInfo: page.pageInfo)
    }

    static let ordersCount: GraphQLFieldResolve = { _, args, context, info in
        let state = Self.context(context).simulator.state
        let query = try filter(args, fields: orderFields, in: info.fieldName)
        let count = await state.orders.values.count { matches($0, query) }
        // An explicit null means no limit.
        if case .null = args["limit"] { return ["count": count, "precision": "EXACT"] as [String: any Sendable] }
        let limit = args["limit"].int ?? 10000
        return ["count": min(count, limit), "precision": count > limit ? "AT_LEAST" : "EXACT"] as [String: any Sendable]
    }

    static let order: GraphQLFieldResolve = { _, args, context, _ in
        let state = Self.context(context).simulator.state
        guard let id = args["id"].string.flatMap({ GID.number($0, type: "Order") }), let order = await state.orders[id] else { return nil }
        return await state.orderNode(order)
    }

    static let customers: GraphQLFieldResolve = { _, args, context, info in
        let state = Self.context(context).simulator.state
        let query = try filter(args, fields: customerFields, in: info.fieldName)
        var all = await state.customers.values.filter { customer in
            query.terms.allSatisfy { field, condition in
                switch field {
                case "updated_at": condition.holds(time: customer.updatedAt)
                case "created_at": condition.holds(time: customer.createdAt)
                default: condition.holds(text: customer.email)
                }
            }
        }
        let sortKey = args["sortKey"].string ?? "ID"
        switch sortKey {
        case "UPDATED_AT": all.sort { ($0.updatedAt, $0.id) < ($1.updatedAt, $1.id) }
        case "CREATED_AT": all.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        case "NAME": all.sort { (($0.lastName ?? "") + ($0.firstName ?? ""), $0.id) < (($1.lastName ?? "") + ($1.firstName ?? ""), $1.id) }
        default: all.sort { $0.id < $1.id }
        }
        let reverse = args["reverse"].bool ?? false
        if reverse { all.reverse() }
        let page = try Pagination.page(
            all, id: \.id, args: args, field: info.fieldName, sortedByID: sortKey == "ID" && !reverse, bulk: Self.context(context).bulk)
        var nodes: [[String: any Sendable]] = []
        for customer in page.items { nodes.append(await state.customerNode(customer)) }
        return Pagination.connection(nodes, ids: page.items.map(\.id), pageInfo: page.pageInfo)
    }

    static let customer: GraphQLFieldResolve = { _, args, context, _ in
        let state = Self.context(context).simulator.state
        guard let id = args["id"].string.flatMap({ GID.number($0, type: "Customer") }), let customer = await state.customers[id] else { return nil }
        return await state.customerNode(customer)
    }

    /// A list kept under `_key` in the parent's dictionary, paged like a connection.
    static func nestedConnection(_ key: String) -> GraphQLFieldResolve {
        { source, args, context, info in
            let all = (source as? [String: any Sendable])?[key] as? [[String: any Sendable]] ?? []
            let numbered = all.enumerated().map { (index: $0.offset + 1, node: $0.element) }
            let page = try Pagination.page(numbered, id: \.index, args: args, field: info.fieldName, bulk: Self.context(context).bulk)
            return Pagination.connection(page.items.map(\.node), ids: page.items.map(\.index), pageInfo: page.pageInfo)
        }
    }
}
