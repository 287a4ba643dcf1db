import Foundation
import GraphQL
import OrderedCollections

/// Loads the SDL the simulator validates against (the bundled 2026-07 subset, or a full schema
/// given on the command line) and installs the simulator's resolvers on it.
enum SimulatorSchema {
    static let bundledName = "admin-2026-07-subset"

    static func sdl(path: String?) throws -> String {
        if let path { return try String(contentsOfFile: path, encoding: .utf8) }
        guard let url = Bundle.module.url(forResource: bundledName, withExtension: "graphql", subdirectory: "Schema") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Schema/\(bundledName).graphql"])
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// Builds the schema (the SDL is trusted: `assumeValid`, which keeps a 3.8 MB schema fast)
    /// and attaches the resolvers by type and field name.
    static func build(path: String?) throws -> GraphQLSchema {
        let schema = try buildASTSchema(documentAST: try parse(source: Source(body: try sdl(path: path), name: path ?? bundledName)), assumeValid: true)
        // GraphQLSwift rebuilds an input object's fields from the SDL on every access (each call's
        // variable coercion): build them once. (Object types cache their own.)
        for case let type as GraphQLInputObjectType in schema.typeMap.values {
            let built = try type.fields()
            type.fields = { built }
        }
        for (typeName, resolvers) in Resolvers.all {
            guard let type = schema.getType(name: typeName) as? GraphQLObjectType else { continue }
            let original = type.fields
            type.fields = {
                let fields = try original()
                for (field, resolve) in resolvers { fields[field]?.resolve = resolve }
                return fields
            }
        }
        return schema
    }
}
