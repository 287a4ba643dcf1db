public import Formats

/// Checks the records of one file against a Table Schema and reports positioned diagnostics.
///
/// Call `checkHeader` (or `assumeColumnsInSchemaOrder` for files without a header) once, then
/// `validate` for each record. Uniqueness and key checks span the whole file.
public struct TableValidator {
    public let schema: TableSchema
    public let file: String
    let rules: [FieldRule]
    /// For each rule, the 0-based column it reads, or nil where the file lacks it.
    var columns: [Int?]
    var expectedFieldCount = 0
    var uniqueSets: [KeySet?]
    var primary: CompositeKey?
    var uniqueKeys: [CompositeKey]
    private var keyBuffer: [UInt8] = []
    /// Each rule's cast in the current row (nil where it failed or the column is missing), so key
    /// checks reuse it instead of casting the cells again.
    private var casts: [FieldRule.Cast?]

    struct CompositeKey {
        var ruleIndices: [Int]
        var set = KeySet()
        var isPrimary: Bool
    }

    public init(schema: TableSchema, file: String) throws(SchemaError) {
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
        uniqueSets = rules.map { $0.unique ? KeySet() : nil }
        let index = { (name: String) in rules.firstIndex { $0.name == name }! }
        primary = schema.primaryKey.isEmpty ? nil : CompositeKey(ruleIndices: schema.primaryKey.map(index), isPrimary: true)
        uniqueKeys = schema.uniqueKeys.map { CompositeKey(ruleIndices: $0.map(index), isPrimary: false) }
    }

    /// For files without a header: columns are the schema's fields in order.
    public mutating func assumeColumnsInSchemaOrder() {
        columns = Array(0..<rules.count)
        expectedFieldCount = rules.count
    }

    func position(line: Int, column: Int?, row: Int) -> Position {
        Position(file: file, line: line, column: column, row: row)
    }

    /// Validates one data record. Returns true when the row has no error.
    public mutating func validate(_ record: CSVRecord, into log: inout DiagnosticLog) -> Bool {
        if record.count != expectedFieldCount {
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
        var valid = true
        for (index, rule) in rules.enumerated() {
            casts[index] = nil
            guard let column = columns[index] else {
                if rule.required { report(.requiredValue, "required", "the column is missing, but a value is required", rule, record, column: nil, &log); valid = false }
                continue
            }
            let ok: Bool = record.withField(column) { bytes in
                switch rule.check(bytes) {
                case .failure(let box):
                    log.append(diagnostic(box.failure, rule: rule, record: record, column: column, value: bytes))
                    return false
                case .success(.null):
                    casts[index] = .null
                    return true
                case .success(let cast):
                    casts[index] = cast
                    guard uniqueSets[index] != nil else { return true }
                    keyBuffer.removeAll(keepingCapacity: true)
                    Self.appendKey(cast, bytes, to: &keyBuffer)
                    if let first = uniqueSets[index]!.insert(keyBuffer, row: record.number, line: record.line) {
                        log.append(Diagnostic(
                            .duplicateValue, at: position(line: record.line, column: column + 1, row: record.number),
                            field: rule.name, value: String(decoding: bytes, as: UTF8.self), rule: "unique",
                            message: "must be unique, but the same value is in row \(first.row) (line \(first.line))"))
                        return false
                    }
                    return true
                }
            }
            valid = valid && ok
        }
        if valid, primary != nil,
            !Self.checkComposite(&primary!, buffer: &keyBuffer, rules: rules, columns: columns, casts: casts, file: file, record, &log)
        {
            valid = false
        }
        for k in uniqueKeys.indices where valid
            && !Self.checkComposite(&uniqueKeys[k], buffer: &keyBuffer, rules: rules, columns: columns, casts: casts, file: file, record, &log)
        {
            valid = false
        }
        return valid
    }

    private static func checkComposite(
        _ key: inout CompositeKey, buffer keyBuffer: inout [UInt8], rules: [FieldRule], columns: [Int?],
        casts: [FieldRule.Cast?], file: String,
        _ record: CSVRecord, _ log: inout DiagnosticLog
    ) -> Bool {
        keyBuffer.removeAll(keepingCapacity: true)
        for ruleIndex in key.ruleIndices {
            // Rows with a missing component are left out (SQL semantics); `required` reports them.
            guard let column = columns[ruleIndex], let cast = casts[ruleIndex] else { return true }
            if case .null = cast { return true }
            record.withField(column) { Self.appendKey(cast, $0, to: &keyBuffer) }
            keyBuffer.append(0x1F)
        }
        guard let first = key.set.insert(keyBuffer, row: record.number, line: record.line) else { return true }
        let names = key.ruleIndices.map { rules[$0].name }
        let values = key.ruleIndices.map { record[columns[$0]!] }
        log.append(Diagnostic(
            key.isPrimary ? .duplicateKey : .duplicateValue,
            at: Position(file: file, line: record.line, column: columns[key.ruleIndices[0]]! + 1, row: record.number),
            field: names.joined(separator: ", "), value: values.joined(separator: ", "),
            rule: key.isPrimary ? "primaryKey" : "uniqueKeys",
            message: "\(key.isPrimary ? "primary key" : "unique key") (\(names.joined(separator: ", "))) is already in row \(first.row) (line \(first.line))"))
        return false
    }

    @inline(__always)
    static func appendKey(_ cast: FieldRule.Cast, _ bytes: UnsafeBufferPointer<UInt8>, to key: inout [UInt8]) {
        switch cast {
        case .value(let value): value.appendKey(to: &key)
        default: key.append(contentsOf: bytes)
        }
    }

    private func diagnostic(_ failure: FieldFailure, rule: FieldRule, record: CSVRecord, column: Int, value: UnsafeBufferPointer<UInt8>) -> Diagnostic {
        Diagnostic(
            failure.code, at: position(line: record.line, column: column + 1, row: record.number), field: rule.name,
            value: String(decoding: value, as: UTF8.self), rule: failure.rule, message: failure.message)
    }

    private func report(
        _ code: DiagnosticCode, _ ruleName: String, _ message: String, _ rule: FieldRule, _ record: CSVRecord, column: Int?,
        _ log: inout DiagnosticLog
    ) {
        log.append(Diagnostic(code, at: position(line: record.line, column: column, row: record.number), field: rule.name, rule: ruleName, message: message))
    }

    func fieldName(atColumn column: Int) -> String? {
        columns.firstIndex { $0 == column }.map { rules[$0].name }
    }
}
