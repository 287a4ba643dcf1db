import Foundation
import Formats

/// One schema field compiled for checking cells: how to cast, which constraints to apply.
/// A class, so the per-cell loop shares one instance instead of copying a large struct.
final class FieldRule: Sendable {
    enum Caster: Sendable {
        case text(StringFormat)
        case integer(NumberSyntax)
        case number(NumberSyntax)
        case boolean(trueValues: ByteStrings, falseValues: ByteStrings)
        case date(DatePattern)
        case time(DatePattern)
        case datetime(DatePattern?)
        case year, yearmonth, any
    }

    /// The outcome of casting one cell.
    enum Cast {
        case null
        /// Valid text (string or any): its key is the raw bytes.
        case text
        case value(FieldValue)
    }

    struct Bound: Sendable {
        var value: FieldValue
        var isMinimum: Bool
        var exclusive: Bool
        var written: String
    }

    let descriptor: FieldDescriptor
    let missing: ByteStrings
    let onlyEmptyIsMissing: Bool
    let required: Bool
    let caster: Caster
    let bounds: [Bound]
    let pattern: NSRegularExpressionBox?
    let textEnum: ByteStrings?
    let valueEnum: Set<FieldValue>?
    let typeHint: String
    /// Whether any constraint beyond `required` applies (skips the constraint pass when not).
    let hasConstraints: Bool

    var name: String { descriptor.name }
    var unique: Bool { descriptor.unique }

    init(_ field: FieldDescriptor, schemaMissingValues: [String], inPrimaryKey: Bool, source: String) throws(SchemaError) {
        descriptor = field
        let missingValues = field.missingValues ?? schemaMissingValues
        missing = ByteStrings(missingValues)
        onlyEmptyIsMissing = missingValues == [""]
        required = field.required || inPrimaryKey
        let at = "field \"\(field.name)\""
        func fail(_ message: String) -> SchemaError { SchemaError(file: source, location: at, message: message) }

        let syntax = NumberSyntax(decimalChar: field.decimalChar, groupChar: field.groupChar, bareNumber: field.bareNumber)
        do {
            switch field.type {
            case .string: caster = .text(StringFormat(rawValue: field.format) ?? .default)
            case .any: caster = .any
            case .integer: caster = .integer(syntax)
            case .number: caster = .number(syntax)
            case .boolean: caster = .boolean(trueValues: ByteStrings(field.trueValues), falseValues: ByteStrings(field.falseValues))
            case .date: caster = .date(try DatePattern(field.format == "default" ? "%Y-%m-%d" : field.format))
            case .time: caster = .time(try DatePattern(field.format == "default" ? "%H:%M:%S" : field.format))
            case .datetime: caster = .datetime(field.format == "default" ? nil : try DatePattern(field.format))
            case .year: caster = .year
            case .yearmonth: caster = .yearmonth
            }
        } catch {
            throw fail("format \"\(error.pattern)\" uses \(error.directive), which Hafen does not know (known: \(DatePattern.supported))")
        }
        typeHint = FieldRule.describe(field)

        // Constraint values are written as JSON scalars or strings; cast them with the field's own type.
        var bounds: [Bound] = []
        let written: [(String?, Bool, Bool, String)] = [
            (field.minimum, true, false, "minimum"), (field.maximum, false, false, "maximum"),
            (field.exclusiveMinimum, true, true, "exclusiveMinimum"), (field.exclusiveMaximum, false, true, "exclusiveMaximum"),
        ]
        let probe = FieldRule.castOnly(caster)
        for (text, isMin, exclusive, key) in written {
            guard let text else { continue }
            guard case .value(let value)? = probe(text) else {
                throw fail("constraint \(key) \"\(text)\" is not a valid \(field.type.rawValue)")
            }
            bounds.append(Bound(value: value, isMinimum: isMin, exclusive: exclusive, written: text))
        }
        self.bounds = bounds
        if let pattern = field.pattern {
            do {
                self.pattern = NSRegularExpressionBox(try NSRegularExpression(pattern: "^(?:\(pattern))$"))
            } catch {
                throw fail("pattern \"\(pattern)\" is not a valid regular expression")
            }
        } else {
            self.pattern = nil
        }
        if let values = field.enumValues {
            switch caster {
            case .text, .any:
                textEnum = ByteStrings(values)
                valueEnum = nil
            default:
                var set = Set<FieldValue>()
                for text in values {
                    guard case .value(let value)? = probe(text) else { throw fail("enum value \"\(text)\" is not a valid \(field.type.rawValue)") }
                    set.insert(value)
                }
                textEnum = nil
                valueEnum = set
            }
        } else {
            textEnum = nil
            valueEnum = nil
        }
        hasConstraints = field.gtinLengths != nil || field.minLength != nil || field.maxLength != nil || !bounds.isEmpty
            || field.enumValues != nil || field.pattern != nil
    }

    /// Casts a constraint value written in the schema.
    private static func castOnly(_ caster: Caster) -> (String) -> Cast? {
        { text in
            Array(text.utf8).withUnsafeBufferPointer { bytes in
                if case .success(let cast) = cast(caster, bytes) { return cast }
                return nil
            }
        }
    }

    /// Checks one cell: its cast (for keys), or nil when it breaks a rule; `failure(_:)` then says which.
    /// Nothing here allocates: the outcome types are plain values, messages are built only on failure.
    @inline(__always)
    func check(_ bytes: UnsafeBufferPointer<UInt8>) -> Cast? {
        if isMissing(bytes) { return required ? nil : .null }
        guard case .success(let cast) = Self.cast(caster, bytes) else { return nil }
        if hasConstraints, violation(bytes, cast) != nil { return nil }
        return cast
    }

    /// Why `check` refused the cell, in words for the report.
    func failure(_ bytes: UnsafeBufferPointer<UInt8>) -> FieldFailure {
        if isMissing(bytes) { return FieldFailure(code: .requiredValue, rule: "required", message: "a value is required") }
        switch Self.cast(caster, bytes) {
        case .failure(let problem):
            let reason: String? = switch (problem, caster) {
            case (.outOfRange, _): "whole number out of range"
            case (.format, .text(let format)): format.problem(bytes)
            default: nil
            }
            return FieldFailure(code: .wrongType, rule: "type", message: reason ?? "not \(typeHint)")
        case .success(let cast):
            guard let violation = violation(bytes, cast) else {
                return FieldFailure(code: .wrongType, rule: "type", message: "not \(typeHint)")
            }
            return describe(violation, bytes)
        }
    }

    @inline(__always)
    private func isMissing(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if onlyEmptyIsMissing { return bytes.isEmpty }
        return missing.contains(bytes)
    }

    /// Which constraint a cast cell breaks, if any.
    enum Violation {
        case gtin(GTIN.Problem)
        case tooShort(Int)
        case tooLong(Int)
        case bound(Int)
        case notInEnum
        case pattern
    }

    private func violation(_ bytes: UnsafeBufferPointer<UInt8>, _ cast: Cast) -> Violation? {
        if let lengths = descriptor.gtinLengths, let problem = GTIN.problem(in: bytes, lengths: lengths) {
            return .gtin(problem)
        }
        // A character takes 1 to 4 UTF-8 bytes: count them only when the byte length cannot decide.
        let minLength = descriptor.minLength ?? 0, maxLength = descriptor.maxLength ?? .max
        if (minLength > 0 && bytes.count / 4 < minLength) || bytes.count > maxLength {
            var characters = 0
            for b in bytes where b & 0xC0 != 0x80 { characters += 1 }
            if let min = descriptor.minLength, characters < min { return .tooShort(characters) }
            if let max = descriptor.maxLength, characters > max { return .tooLong(characters) }
        }
        if case .value(let value) = cast {
            for i in bounds.indices {
                guard let order = value.compare(to: bounds[i].value) else { continue }
                let broken = bounds[i].isMinimum
                    ? (bounds[i].exclusive ? order <= 0 : order < 0)
                    : (bounds[i].exclusive ? order >= 0 : order > 0)
                if broken { return .bound(i) }
            }
            if let valueEnum, !valueEnum.contains(value) { return .notInEnum }
        } else if let textEnum, !textEnum.contains(bytes) {
            return .notInEnum
        }
        if let pattern, !pattern.matches(String(decoding: bytes, as: UTF8.self)) { return .pattern }
        return nil
    }

    private func describe(_ violation: Violation, _ bytes: UnsafeBufferPointer<UInt8>) -> FieldFailure {
        switch violation {
        case .gtin(let problem):
            return FieldFailure(code: .badCheckDigit, rule: "gtin",
                                message: FieldRule.describe(problem, lengths: descriptor.gtinLengths ?? [], count: bytes.count))
        case .tooShort(let characters):
            return FieldFailure(code: .tooShort, rule: "minLength",
                                message: "shorter than \(descriptor.minLength ?? 0) characters (has \(characters))")
        case .tooLong(let characters):
            return FieldFailure(code: .tooLong, rule: "maxLength",
                                message: "longer than \(descriptor.maxLength ?? 0) characters (has \(characters))")
        case .bound(let i):
            let bound = bounds[i]
            let word = bound.isMinimum ? (bound.exclusive ? "not above" : "below the minimum") : (bound.exclusive ? "not below" : "above the maximum")
            let rule = bound.isMinimum ? (bound.exclusive ? "exclusiveMinimum" : "minimum") : (bound.exclusive ? "exclusiveMaximum" : "maximum")
            return FieldFailure(code: bound.isMinimum ? .belowMinimum : .aboveMaximum, rule: rule, message: "\(word) \(bound.written)")
        case .notInEnum:
            return FieldFailure(code: .notAllowed, rule: "enum",
                                message: "not one of the allowed values: \(descriptor.enumValues?.joined(separator: ", ") ?? "")")
        case .pattern:
            return FieldFailure(code: .patternMismatch, rule: "pattern", message: "does not match the pattern \(descriptor.pattern ?? "")")
        }
    }
}

/// NSRegularExpression is thread-safe for matching; this box says so to the compiler.
struct NSRegularExpressionBox: @unchecked Sendable {
    let regex: NSRegularExpression

    init(_ regex: NSRegularExpression) { self.regex = regex }

    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
