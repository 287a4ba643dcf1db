public import Formats

/// Checks the records of one file against a Table Schema and reports positioned diagnostics.
///
/// Call `checkHeader` (or `assumeColumnsInSchemaOrder` for files without a header) once, then
/// `validate` for each record. Cells are checked at once; keys (`unique`, `primaryKey`,
/// `uniqueKeys`) span the whole file, so they are collected as fingerprints and resolved after
/// the last row by `duplicateKeys()` (see `CSVTableCheck`, which reports them in a second pass).
public struct TableValidator {
    public let schema: TableSchema
    public let file: String
    let rules: [FieldRule]
    /// For each rule, the 0-based column it reads, or nil where the file lacks it.
    var columns: [Int?]
    var expectedFieldCount = 0
    /// Whether a record may hold one more field after the last column, which must be empty: the
    /// lines end with a delimiter (`CSVDialect.TrailingDelimiter`).
    var trailingField = false
    let constraints: [KeyConstraint]
    /// Collects key fingerprints; nil when the schema has no key constraints or keys are not checked.
    var keys: KeyChecker?
    /// Each rule's cast in the current row (nil where it failed or the column is missing), so key
    /// checks reuse it instead of casting the cells again.
    private var casts: [FieldRule.Cast?]

    /// - Parameter keyOptions: where duplicate-key checking may spill; nil checks cells only.
    public init(schema: TableSchema, file: String, keyOptions: KeyOptions? = KeyOptions()) throws(SchemaError) {
        self.schema = schema
        self.file = file
        var rules: [FieldRule] = []
        for field in schema.fields {
            rules.append(try FieldRule(field, schemaMissingValues: schema.missingValues,
                                       inPrimaryKey: schema.primaryKey.contains(field.name), source: schema.source))
        }
        self.rules = rules
        columns = Array(0..<rules.count)
        casts = Array(repeating: nil, count: rules.count)
        let index = { (name: String) in rules.firstIndex { $0.name == name }! }
        var constraints = rules.indices.filter { rules[$0].unique }.map { KeyConstraint(kind: .uniqueField, ruleIndices: [$0]) }
        if !schema.primaryKey.isEmpty { constraints.append(KeyConstraint(kind: .primaryKey, ruleIndices: schema.primaryKey.map(index))) }
        constraints += schema.uniqueKeys.map { KeyConstraint(kind: .uniqueKeys, ruleIndices: $0.map(index)) }
        guard constraints.count < 256 else {
            throw SchemaError(file: schema.source, location: "uniqueKeys", message: "more than 255 unique constraints")
        }
        self.constraints = constraints
        keys = constraints.isEmpty ? nil : keyOptions.map { KeyChecker(constraints: constraints, options: $0) }
    }

    /// For files without a header: columns are the schema's fields in order.
    public mutating func assumeColumnsInSchemaOrder(trailingDelimiter: CSVDialect.TrailingDelimiter = .auto) {
        columns = Array(0..<rules.count)
        expectedFieldCount = rules.count
        trailingField = trailingDelimiter == .always
    }

    func position(line: Int, column: Int?, row: Int) -> Position {
        Position(file: file, line: line, column: column, row: row)
    }

    /// Validates the cells of one data record and records its keys. Returns true when no cell
    /// has an error (a duplicate key is only known once the file has been read).
    public mutating func validate(_ record: CSVRecord, into log: inout DiagnosticLog) throws(SpillError) -> Bool {
        if trailingField && record.count == expectedFieldCount + 1 {
            let last = record[expectedFieldCount]
            if !last.allSatisfy(\.isWhitespace) {
                log.append(Diagnostic(
                    .wrongFieldCount, at: position(line: record.line, column: record.count, row: record.number), value: last,
                    rule: "fields",
                    message: "the row has a value after its last column (the lines end with a delimiter, so that place must be empty)"))
                return false
            }
        } else if record.count != expectedFieldCount {
            log.append(Diagnostic(
                .wrongFieldCount, at: position(line: record.line, column: nil, row: record.number), rule: "fields",
                message: "the row has \(record.count) fields, the header has \(expectedFieldCount)"))
            return false
        }
        if let nul = record.nulField {
            log.append(Diagnostic(
                .nulByte, at: position(line: record.line, column: nul, row: record.number), field: fieldName(atColumn: nul - 1),
                rule: "bytes", message: "the field contains a NUL byte (binary data)"))
            return false
        }
        // The casts are moved out of `self` for the loop, so reporting can read `self` meanwhile.
        var casts: [FieldRule.Cast?] = []
        swap(&casts, &self.casts)
        defer { swap(&casts, &self.casts) }
        let rules = self.rules, columns = self.columns
        var valid = true
        try record.withFields { (fields) throws(SpillError) in
            for index in rules.indices {
                let rule = rules[index]
                guard let column = columns[index] else {
                    casts[index] = nil
                    if rule.required {
                        log.append(Diagnostic(.requiredValue, at: position(line: record.line, column: nil, row: record.number),
                                              field: rule.name, rule: "required", message: "the column is missing, but a value is required"))
                        valid = false
                    }
                    continue
                }
                let bytes = fields[column]
                if let cast = rule.check(bytes) {
                    casts[index] = cast
                } else {
                    casts[index] = nil
                    let failure = rule.failure(bytes)
                    log.append(Diagnostic(
                        failure.code, at: position(line: record.line, column: column + 1, row: record.number), field: rule.name,
                        value: String(decoding: bytes, as: UTF8.self), rule: failure.rule, message: failure.message))
                    valid = false
                }
            }
            if keys != nil { try addKeys(fields, casts, record) }
        }
        return valid
    }

    /// Adds the row's key under each constraint it takes part in, whenever the key's own cells are
    /// valid, even if another cell of the row is not: a later row repeating the key of a row with a
    /// bad price is still a duplicate (as the reference validator, frictionless, reports it). Keys
    /// with a missing or invalid component are left out (SQL semantics; `required` and the cell's
    /// own problem report those).
    private mutating func addKeys(_ fields: CSVFields, _ casts: [FieldRule.Cast?], _ record: CSVRecord) throws(SpillError) {
        for number in constraints.indices {
            let constraint = constraints[number]
            var key = keys!.startKey(constraint: number)
            var complete = true
            for ruleIndex in constraint.ruleIndices {
                guard let column = columns[ruleIndex], let cast = casts[ruleIndex] else { complete = false; break }
                switch cast {
                case .null: complete = false
                case .text: key.add(fields[column])
                case .value(let value): value.addKey(to: &key)
                }
                if !complete { break }
            }
            guard complete else { continue }
            try keys!.add(key, constraint: number, row: record.number, line: record.line)
        }
    }

    /// Ends the file: the rows whose keys repeat an earlier row's, sorted by row.
    mutating func duplicateKeys() throws(SpillError) -> (count: Int, rows: SortedElements<DuplicateKey>)? {
        guard let count = keys?.count, count > 1 else { return nil }
        let found = try keys!.duplicates()
        return found.count == 0 ? nil : found
    }

    /// Reports that `record` repeats the key of an earlier row.
    func reportDuplicate(_ duplicate: DuplicateKey, in record: CSVRecord, into log: inout DiagnosticLog) {
        let constraint = constraints[Int(duplicate.constraint)]
        let names = constraint.ruleIndices.map { rules[$0].name }
        let values = constraint.ruleIndices.map { columns[$0].map { record[$0] } ?? "" }
        let column = columns[constraint.ruleIndices[0]].map { $0 + 1 }
        let at = position(line: record.line, column: column, row: record.number)
        let first = "row \(duplicate.firstRow) (line \(duplicate.firstLine))"
        switch constraint.kind {
        case .uniqueField:
            log.append(Diagnostic(.duplicateValue, at: at, field: names[0], value: values[0], rule: "unique",
                                  message: "must be unique, but the same value is in \(first)"))
        case .primaryKey, .uniqueKeys:
            let primary = constraint.kind == .primaryKey
            log.append(Diagnostic(
                primary ? .duplicateKey : .duplicateValue, at: at, field: names.joined(separator: ", "),
                value: values.joined(separator: ", "), rule: primary ? "primaryKey" : "uniqueKeys",
                message: "\(primary ? "primary key" : "unique key") (\(names.joined(separator: ", "))) is already in \(first)"))
        }
    }

    func fieldName(atColumn column: Int) -> String? {
        columns.firstIndex { $0 == column }.map { rules[$0].name }
    }
}
