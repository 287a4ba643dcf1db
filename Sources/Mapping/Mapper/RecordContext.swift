import Commerce
import Formats
import Foundation

/// Maps the fields of one record, collecting its diagnostics.
struct RecordContext {
    let record: SourceRecord
    let file: String
    let columnNumbers: [String: Int]
    let blank: BlankPolicy
    private(set) var diagnostics: [Diagnostic] = []

    init(record: SourceRecord, file: String, columnNumbers: [String: Int], blank: BlankPolicy) {
        self.record = record
        self.file = file
        self.columnNumbers = columnNumbers
        self.blank = blank
    }

    var failed: Bool { !diagnostics.isEmpty }

    mutating func report(_ code: DiagnosticCode, field: String, map: FieldMap?, value: String? = nil, message: String) {
        var column: Int?
        if case .column(let name)? = map?.expression { column = columnNumbers[name] }
        diagnostics.append(Diagnostic(
            code, at: Position(file: file, line: record.line, column: column, row: record.row), field: field, value: value,
            rule: map.map { "map: \($0.source)" }, message: message))
    }

    /// The field's value after its expression and table; nil when that failed (reported).
    mutating func value(_ map: FieldMap, field: String) -> Value? {
        let computed: Value
        do {
            computed = try map.expression.evaluate { record[$0] }
        } catch {
            report(.expressionFailed, field: field, map: map, message: error.message)
            return nil
        }
        guard let table = map.table, !computed.isBlank else { return computed }
        guard let mapped = table.look(up: computed.text) else {
            report(.unmappedValue, field: field, map: map, value: computed.text,
                   message: "\"\(computed.text)\" is not in \(table.label), which has no default")
            return nil
        }
        return .text(mapped)
    }

    /// A patch from a field's value: nil map or a failure keeps the shop's value; blank follows the blank policy.
    private mutating func patch<T>(_ map: FieldMap?, field: String, convert: (inout RecordContext, Value) -> T?) -> Patch<T> {
        guard let map, let value = value(map, field: field) else { return .keep }
        if value.isBlank { return (map.blank ?? blank) == .clear ? .clear : .keep }
        guard let converted = convert(&self, value) else { return .keep }
        return .set(converted)
    }

    mutating func text(_ map: FieldMap?, field: String) -> Patch<String> {
        patch(map, field: field) { _, value in value.text }
    }

    mutating func decimal(_ map: FieldMap?, field: String) -> Patch<Decimal> {
        patch(map, field: field) { context, value in context.number(value, map: map!, field: field) }
    }

    mutating func bool(_ map: FieldMap?, field: String) -> Patch<Bool> {
        patch(map, field: field) { context, value in
            switch value {
            case .bool(let b): return b
            case .text(let t) where ["true", "false"].contains(t.lowercased()): return t.lowercased() == "true"
            default:
                context.report(.mappedTypeMismatch, field: field, map: map, value: value.text,
                               message: "\(value.kind) \"\(value.text)\" is not true or false (map it with a table)")
                return nil
            }
        }
    }

    mutating func choice<T: CaseIterable & RawRepresentable>(_ map: FieldMap?, field: String, parse: (String) -> T?) -> Patch<T>
    where T.RawValue == String {
        patch(map, field: field) { context, value in
            if let choice = parse(value.text.trimmingCharacters(in: .whitespaces)) { return choice }
            let allowed = T.allCases.map { $0.rawValue.lowercased() }.joined(separator: ", ")
            context.report(.mappedTypeMismatch, field: field, map: map, value: value.text,
                           message: "\"\(value.text)\" is not one of \(allowed) (map it with a table)")
            return nil
        }
    }

    mutating func weight(_ map: FieldMap?, field: String) -> Patch<Weight> {
        patch(map, field: field) { context, value in
            context.number(value, map: map!, field: field).map { Weight(value: $0, unit: map?.unit ?? .kilograms) }
        }
    }

    mutating func list(_ map: FieldMap?, field: String) -> Patch<[String]> {
        patch(map, field: field) { _, value in
            let separator = map?.split ?? ","
            return value.text.components(separatedBy: separator).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    /// A key field: blank is an error, never "keep".
    mutating func key(_ map: FieldMap, field: String) -> String? {
        guard let value = value(map, field: field) else { return nil }
        let text = value.text.trimmingCharacters(in: .whitespaces)
        guard !value.isBlank, !text.isEmpty else {
            report(.missingShopKey, field: field, map: map, message: "\(field) is empty, so the record cannot be matched in the shop")
            return nil
        }
        return text
    }

    /// A whole number (stock quantities); nil when blank or not whole (the latter reported).
    mutating func integer(_ map: FieldMap, field: String) -> Int? {
        guard let value = value(map, field: field), !value.isBlank else { return nil }
        guard let n = number(value, map: map, field: field) else { return nil }
        let whole = Int(truncatingIfNeeded: NSDecimalNumber(decimal: n).int64Value)
        guard Decimal(whole) == n else {
            report(.mappedTypeMismatch, field: field, map: map, value: value.text, message: "\"\(value.text)\" is not a whole number")
            return nil
        }
        return whole
    }

    private mutating func number(_ value: Value, map: FieldMap, field: String) -> Decimal? {
        switch value {
        case .number(let n): return n
        case .text(let t):
            if let n = Decimal(string: t.trimmingCharacters(in: .whitespaces), locale: Locale(identifier: "en_US_POSIX")),
                t.trimmingCharacters(in: .whitespaces).allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" })
            {
                return n
            }
            report(.mappedTypeMismatch, field: field, map: map, value: t,
                   message: "\"\(t)\" is text, not a number (for text such as 1.234,50 use number(…) in the map)")
            return nil
        default:
            report(.mappedTypeMismatch, field: field, map: map, value: value.text, message: "\(value.kind) \"\(value.text)\" is not a number")
            return nil
        }
    }
}
