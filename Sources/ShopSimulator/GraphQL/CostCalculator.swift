import GraphQL
import OrderedCollections
import Synchronization

/// Shopify's query cost as far as it is published: scalars and enums 0, an object 1, a
/// connection `2 + first × (cost of one node)` plus its other fields (`pageInfo`) once, a
/// mutation 10. The requested cost is computed
/// from the document before execution (for admission); the actual cost counts the nodes that
/// came back. Shopify does not publish the whole formula, so this is the simulator's model.
final class CostCalculator: Sendable {
    private struct FieldShape {
        var typeName: String
        var isComposite: Bool
    }

    static let mutationCost = 10
    private let schema: GraphQLSchema
    /// Per type: its fields' named types (read once from the schema, which builds them lazily).
    private let shapes = Mutex<[String: [String: FieldShape]]>([:])

    init(schema: GraphQLSchema) {
        self.schema = schema
    }

    /// The requested cost of an operation, or with `result` (the answer's `data`) the actual one.
    func cost(of operation: OperationDefinition, document: Document, variables: Map, result: Map? = nil) -> Int {
        if operation.operation == .mutation {
            return operation.selectionSet.selections.count { $0 is Field } * Self.mutationCost
        }
        let fragments = Dictionary(
            document.definitions.compactMap { $0 as? FragmentDefinition }.map { ($0.name.value, $0) }, uniquingKeysWith: { a, _ in a })
        let root = schema.queryType?.name ?? "QueryRoot"
        return cost(operation.selectionSet.selections, type: root, fragments: fragments, variables: variables, result: result)
    }

    private func cost(_ selections: [any Selection], type: String, fragments: [String: FragmentDefinition], variables: Map, result: Map?) -> Int {
        var total = 0
        for selection in selections {
            if let field = selection as? Field {
                guard let shape = shape(of: field.name.value, on: type), shape.isComposite, let children = field.selectionSet else { continue }
                let value = result.map { $0[field.alias?.value ?? field.name.value] }
                if shape.typeName.hasSuffix("Connection") {
                    let requested = pageSize(field, variables: variables)
                    let count = value.map(Self.nodeCount) ?? requested
                    var perNode = 0
                    var once = 0
                    for child in children.selections {
                        let name = (child as? Field)?.name.value
                        let childCost = cost([child], type: shape.typeName, fragments: fragments, variables: variables, result: nil)
                        if name == "nodes" || name == "edges" { perNode += childCost } else { once += childCost }
                    }
                    total += 2 + count * perNode + once
                } else if let items = value?.array {
                    total += items.reduce(0) { $0 + 1 + cost(children.selections, type: shape.typeName, fragments: fragments, variables: variables, result: $1) }
                } else {
                    total += 1 + cost(children.selections, type: shape.typeName, fragments: fragments, variables: variables, result: value)
                }
            } else if let inline = selection as? InlineFragment {
                total += cost(inline.selectionSet.selections, type: inline.typeCondition?.name.value ?? type, fragments: fragments, variables: variables, result: result)
            } else if let spread = selection as? FragmentSpread, let fragment = fragments[spread.name.value] {
                total += cost(fragment.selectionSet.selections, type: fragment.typeCondition.name.value, fragments: fragments, variables: variables, result: result)
            }
        }
        return total
    }

    /// `first` or `last` of a connection field, literal or from a variable.
    func pageSize(_ field: Field, variables: Map) -> Int {
        for argument in field.arguments where argument.name.value == "first" || argument.name.value == "last" {
            if let literal = argument.value as? IntValue { return Int(literal.value) ?? 0 }
            if let variable = argument.value as? Variable { return variables[variable.name.value].int ?? 0 }
        }
        return 0
    }

    private static func nodeCount(_ connection: Map) -> Int {
        if let nodes = connection["nodes"].array { return nodes.count }
        if let edges = connection["edges"].array { return edges.count }
        return 0
    }

    private func shape(of field: String, on type: String) -> FieldShape? {
        if let known = shapes.withLock({ $0[type] }) { return known[field] }
        var table: [String: FieldShape] = [:]
        let named = schema.getType(name: type)
        let fields = (try? (named as? GraphQLObjectType)?.fields()) ?? (try? (named as? GraphQLInterfaceType)?.fields()) ?? [:]
        for (name, definition) in fields {
            let inner = getNamedType(type: definition.type)
            let composite = inner is GraphQLObjectType || inner is GraphQLInterfaceType || inner is GraphQLUnionType
            table[name] = FieldShape(typeName: inner?.name ?? "", isComposite: composite)
        }
        shapes.withLock { $0[type] = table }
        return table[field]
    }
}
