public import Foundation

/// A Frictionless Table Schema: the fields of a table, missing values and keys.
public struct TableSchema: Sendable {
    /// How file columns line up with schema fields (Table Schema v2 `fieldsMatch`).
    public enum FieldsMatch: String, Sendable {
        case exact, equal, subset, superset, partial
    }

    public var fields: [FieldDescriptor]
    public var missingValues: [String]
    public var primaryKey: [String]
    public var uniqueKeys: [[String]]
    public var fieldsMatch: FieldsMatch
    /// Where the descriptor came from, for messages.
    public var source: String

    public init(
        fields: [FieldDescriptor], missingValues: [String] = [""], primaryKey: [String] = [],
        uniqueKeys: [[String]] = [], fieldsMatch: FieldsMatch = .exact, source: String = "schema"
    ) {
        self.fields = fields
        self.missingValues = missingValues
        self.primaryKey = primaryKey
        self.uniqueKeys = uniqueKeys
        self.fieldsMatch = fieldsMatch
        self.source = source
    }

    /// Loads a descriptor from a JSON file.
    public static func load(path: String) throws(SchemaError) -> TableSchema {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SchemaError(file: path, location: "", message: "cannot read the schema file (\(error.localizedDescription))")
        }
        return try parse(data, source: path)
    }

    /// Parses a descriptor from JSON bytes.
    public static func parse(_ data: Data, source: String = "schema") throws(SchemaError) -> TableSchema {
        let json: JSONValue
        do {
            json = try JSONValue.parse(data)
        } catch {
            throw SchemaError(file: source, location: "", message: "not valid JSON (\(error.localizedDescription))")
        }
        return try SchemaParser(source: source).schema(from: json)
    }

    public func field(named name: String) -> FieldDescriptor? {
        fields.first { $0.name == name }
    }
}
