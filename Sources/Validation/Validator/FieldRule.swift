import Foundation
import Formats

/// One schema field compiled for checking cells: how to cast, which constraints to apply.
/// A class, so the per-cell loop shares one instance instead of copying a large struct.
final class FieldRule: Sendable {
    enum Caster: Sendable {
        case text(StringFormat)
        case integer(NumberSyntax)
        case number(NumberSyntax)
        case boolean(trueValues: [[UInt8]], falseValues: [[UInt8]])
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
    let missing: [[UInt8]]
    let onlyEmptyIsMissing: Bool
    let required: Bool
    let caster: Caster
    let bounds: [Bound]
    let pattern: NSRegularExpressionBox?
    let textEnum: [[UInt8]]?
    let valueEnum: Set<FieldValue>?
    let typeHint: String

    var name: String { descriptor.name }
    var unique: Bool { descriptor.unique }

    init(_ field: FieldDescriptor, schemaMissingValues: [String], inPrimaryKey: Bool, source: String) throws(SchemaError) {
        descriptor = field
        let missingValues = field.missingValues ?? schemaMissingValues
        missing = missingValues.map { Array($0.utf8) }
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
            case .boolean: caster = .boolean(trueValues: field.trueValues.map { Array($0.utf8) }, falseValues: field.falseValues.map { Array($0.utf8) })
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
                textEnum = values.map { Array($0.utf8) }
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

    /// Checks one cell. `.success` carries the cast, for unique keys.
    @inline(__always)
    func check(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Cast, FieldFailureBox> {
        if isMissing(bytes) {
            if required { return .failure(FieldFailureBox(.requiredValue, "required", "a value is required")) }
            return .success(.null)
        }
        let cast: Cast
        switch Self.cast(caster, bytes) {
        case .success(let c): cast = c
        case .failure(let detail):
            return .failure(FieldFailureBox(.wrongType, "type", detail.reason ?? "not \(typeHint)"))
        }
        if let failure = constraints(bytes, cast) { return .failure(failure) }
        return .success(cast)
    }

    @inline(__always)
    private func isMissing(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if onlyEmptyIsMissing { return bytes.isEmpty }
        for m in missing where m.count == bytes.count && m.elementsEqual(bytes) { return true }
        return false
    }

    private func constraints(_ bytes: UnsafeBufferPointer<UInt8>, _ cast: Cast) -> FieldFailureBox? {
        if let lengths = descriptor.gtinLengths, let problem = GTIN.problem(in: bytes, lengths: lengths) {
            return FieldFailureBox(.badCheckDigit, "gtin", FieldRule.describe(problem, lengths: lengths, count: bytes.count))
        }
        if descriptor.minLength != nil || descriptor.maxLength != nil {
            var characters = 0
            for b in bytes where b & 0xC0 != 0x80 { characters += 1 }
            if let min = descriptor.minLength, characters < min {
                return FieldFailureBox(.tooShort, "minLength", "shorter than \(min) characters (has \(characters))")
            }
            if let max = descriptor.maxLength, characters > max {
                return FieldFailureBox(.tooLong, "maxLength", "longer than \(max) characters (has \(characters))")
            }
        }
        if case .value(let value) = cast {
            for bound in bounds {
                guard let order = value.compare(to: bound.value) else { continue }
                let broken = bound.isMinimum ? (bound.exclusive ? order <= 0 : order < 0) : (bound.exclusive ? order >= 0 : order > 0)
                if broken {
                    let word = bound.isMinimum ? (bound.exclusive ? "not above" : "below the minimum") : (bound.exclusive ? "not below" : "above the maximum")
                    let rule = bound.isMinimum ? (bound.exclusive ? "exclusiveMinimum" : "minimum") : (bound.exclusive ? "exclusiveMaximum" : "maximum")
                    return FieldFailureBox(bound.isMinimum ? .belowMinimum : .aboveMaximum, rule, "\(word) \(bound.written)")
                }
            }
            if let valueEnum, !valueEnum.contains(value) {
                return FieldFailureBox(.notAllowed, "enum", "not one of the allowed values: \(descriptor.enumValues!.joined(separator: ", "))")
            }
        } else if let textEnum, !textEnum.contains(where: { $0.elementsEqual(bytes) }) {
            return FieldFailureBox(.notAllowed, "enum", "not one of the allowed values: \(descriptor.enumValues!.joined(separator: ", "))")
        }
        if let pattern {
            let text = String(decoding: bytes, as: UTF8.self)
            if !pattern.matches(text) {
                return FieldFailureBox(.patternMismatch, "pattern", "does not match the pattern \(descriptor.pattern!)")
            }
        }
        return nil
    }
}

/// A failure as the `Result` error type.
struct FieldFailureBox: Error {
    var failure: FieldFailure

    init(_ code: DiagnosticCode, _ rule: String, _ message: String) {
        failure = FieldFailure(code: code, rule: rule, message: message)
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
