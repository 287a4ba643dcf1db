/// Reads a Table Schema descriptor, accepting the v1 forms v2 readers must still honour
/// (`primaryKey` as a string, `fmt:` formats) and refusing what Hafen cannot check.
struct SchemaParser {
    let source: String

    func schema(from json: JSONValue) throws(SchemaError) -> TableSchema {
        guard case .object = json else { throw fail("", "the schema must be a JSON object") }
        guard let fieldList = json["fields"]?.array else { throw fail("fields", "missing or not an array") }
        var fields: [FieldDescriptor] = []
        for (index, value) in fieldList.enumerated() {
            fields.append(try field(value, index: index))
        }
        var schema = TableSchema(fields: fields, source: source)
        if let missing = json["missingValues"] {
            schema.missingValues = try stringList(missing, at: "missingValues")
        }
        if let key = json["primaryKey"] {
            schema.primaryKey = try names(key, at: "primaryKey", in: fields)
        }
        if let keys = json["uniqueKeys"] {
            guard let list = keys.array else { throw fail("uniqueKeys", "must be an array of field-name arrays") }
            schema.uniqueKeys = try list.enumerated().map { (i, v) throws(SchemaError) in try names(v, at: "uniqueKeys[\(i)]", in: fields) }
        }
        if let match = json["fieldsMatch"] {
            guard let text = match.string, let value = TableSchema.FieldsMatch(rawValue: text) else {
                throw fail("fieldsMatch", "must be one of exact, equal, subset, superset, partial")
            }
            schema.fieldsMatch = value
        }
        return schema
    }

    private func field(_ json: JSONValue, index: Int) throws(SchemaError) -> FieldDescriptor {
        let at = "fields[\(index)]"
        guard let name = json["name"]?.string, !name.isEmpty else { throw fail(at, "every field needs a non-empty \"name\"") }
        let here = "\(at) \"\(name)\""
        let typeName = json["type"]?.string ?? "any"
        guard let type = FieldType(rawValue: typeName) else {
            throw fail(here, "type \"\(typeName)\" is not supported by Hafen (supported: \(FieldType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var field = FieldDescriptor(name: name, type: type)
        if let format = json["format"]?.string {
            field.format = format.hasPrefix("fmt:") ? String(format.dropFirst(4)) : format
        }
        try checkFormat(field, at: here)
        if let c = json["decimalChar"] { field.decimalChar = try character(c, at: "\(here) decimalChar") }
        if let c = json["groupChar"] { field.groupChar = try character(c, at: "\(here) groupChar") }
        if let b = json["bareNumber"] {
            guard let flag = b.bool else { throw fail("\(here) bareNumber", "must be true or false") }
            field.bareNumber = flag
        }
        if let t = json["trueValues"] { field.trueValues = try stringList(t, at: "\(here) trueValues") }
        if let f = json["falseValues"] { field.falseValues = try stringList(f, at: "\(here) falseValues") }
        if let m = json["missingValues"] { field.missingValues = try stringList(m, at: "\(here) missingValues") }
        if let gtin = json["gtin"] {
            switch gtin {
            case .bool(true): field.gtinLengths = GTIN.lengths
            case .bool(false): field.gtinLengths = nil
            case .array(let lengths):
                let set = Set(lengths.compactMap { $0.scalarText.flatMap { Int($0) } })
                guard !set.isEmpty, set.isSubset(of: GTIN.lengths) else {
                    throw fail("\(here) gtin", "must be true or a list of lengths from 8, 12, 13, 14")
                }
                field.gtinLengths = set
            default: throw fail("\(here) gtin", "must be true or a list of lengths from 8, 12, 13, 14")
            }
        }
        if let constraints = json["constraints"] {
            try readConstraints(constraints, into: &field, at: "\(here) constraints")
        }
        return field
    }

    private func readConstraints(_ json: JSONValue, into field: inout FieldDescriptor, at: String) throws(SchemaError) {
        guard case .object = json else { throw fail(at, "must be an object") }
        let known: Set = ["required", "unique", "minLength", "maxLength", "minimum", "maximum",
                          "exclusiveMinimum", "exclusiveMaximum", "pattern", "enum"]
        for key in json.keys where !known.contains(key) {
            throw fail("\(at).\(key)", "constraint not supported by Hafen (supported: \(known.sorted().joined(separator: ", ")))")
        }
        if let r = json["required"] {
            guard let flag = r.bool else { throw fail("\(at).required", "must be true or false") }
            field.required = flag
        }
        if let u = json["unique"] {
            guard let flag = u.bool else { throw fail("\(at).unique", "must be true or false") }
            field.unique = flag
        }
        field.minLength = try integer(json["minLength"], at: "\(at).minLength")
        field.maxLength = try integer(json["maxLength"], at: "\(at).maxLength")
        field.minimum = try scalar(json["minimum"], at: "\(at).minimum")
        field.maximum = try scalar(json["maximum"], at: "\(at).maximum")
        field.exclusiveMinimum = try scalar(json["exclusiveMinimum"], at: "\(at).exclusiveMinimum")
        field.exclusiveMaximum = try scalar(json["exclusiveMaximum"], at: "\(at).exclusiveMaximum")
        if let p = json["pattern"] {
            guard let text = p.string else { throw fail("\(at).pattern", "must be a string") }
            field.pattern = text
        }
        if let e = json["enum"] {
            guard let list = e.array, !list.isEmpty else { throw fail("\(at).enum", "must be a non-empty array") }
            field.enumValues = try list.map { (v: JSONValue) throws(SchemaError) -> String in
                guard let text = v.scalarText else { throw fail("\(at).enum", "values must be strings or numbers") }
                return text
            }
        }
    }

    private func checkFormat(_ field: FieldDescriptor, at: String) throws(SchemaError) {
        let format = field.format
        switch field.type {
        case .string:
            guard ["default", "email", "uri", "uuid", "binary"].contains(format) else {
                throw fail("\(at) format", "\"\(format)\" is not a string format (default, email, uri, uuid, binary)")
            }
        case .date, .time, .datetime:
            if format == "any" {
                throw fail("\(at) format", "\"any\" (guessing date formats) is not supported; give a pattern such as \"%d.%m.%Y\"")
            }
        default:
            guard format == "default" else { throw fail("\(at) format", "\(field.type.rawValue) fields take no format") }
        }
    }

    private func names(_ json: JSONValue, at: String, in fields: [FieldDescriptor]) throws(SchemaError) -> [String] {
        let list: [String]
        if let single = json.string {
            list = [single]
        } else {
            list = try stringList(json, at: at)
        }
        for name in list where !fields.contains(where: { $0.name == name }) {
            throw fail(at, "names \"\(name)\", which is not a field of this schema")
        }
        return list
    }

    private func stringList(_ json: JSONValue, at: String) throws(SchemaError) -> [String] {
        guard let list = json.array else { throw fail(at, "must be an array of strings") }
        return try list.map { (v: JSONValue) throws(SchemaError) -> String in
            if let s = v.string { return s }
            if let s = v["value"]?.string { return s }  // v2 {value, label}
            throw fail(at, "must be an array of strings")
        }
    }

    private func character(_ json: JSONValue, at: String) throws(SchemaError) -> String {
        guard let s = json.string, s.unicodeScalars.count == 1 else { throw fail(at, "must be a single character") }
        return s
    }

    private func integer(_ json: JSONValue?, at: String) throws(SchemaError) -> Int? {
        guard let json else { return nil }
        guard let text = json.scalarText, let value = Int(text), value >= 0 else { throw fail(at, "must be a whole number ≥ 0") }
        return value
    }

    private func scalar(_ json: JSONValue?, at: String) throws(SchemaError) -> String? {
        guard let json else { return nil }
        guard let text = json.scalarText else { throw fail(at, "must be a number or a string") }
        return text
    }

    private func fail(_ location: String, _ message: String) -> SchemaError {
        SchemaError(file: source, location: location, message: message)
    }
}
