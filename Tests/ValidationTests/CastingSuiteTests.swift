import Formats
import Foundation
import HafenTesting
import Testing

/// The cross-implementation casting table of Table Schema (`testsuite-basic/tests/tableschema.yml`).
///
/// Each `field.cast_value: ['<text>', ==: <expected>]` line with a text input (CSV cells are text)
/// is run through a one-column file. Lines marked for other implementations only (`(js)`, `(rb)`,
/// `(js|rb)`, `(skip)`) are left out, and so are types Hafen refuses at load time and
/// `format: any` (guessing), which Hafen refuses on purpose; the test counts what it ran.
@Suite(.enabled(if: SharedFolder.testsEnabled, "../shared is absent; set HAFEN_SHARED or run in CI"))
struct CastingSuiteTests {
    struct Case: CustomStringConvertible, Sendable {
        var field: String
        var input: String
        var expectError: Bool
        var line: Int
        var description: String { "line \(line): \(field) ← '\(input)'" }
    }

    static let unsupportedTypes = ["array", "object", "duration", "geojson", "geopoint"]

    static var cases: [Case] {
        guard let text = try? String(contentsOfFile: SharedFolder.file("corpus/tableschema/testsuite-basic/tests/tableschema.yml"), encoding: .utf8)
        else { return [] }
        var cases: [Case] = []
        var field: String?
        var sectionApplies = false
        for (n, raw) in text.components(separatedBy: "\n").enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line == "---" { break }
            guard line.hasPrefix("- ") else { continue }
            var body = String(line.dropFirst(2))
            var applies = true
            if body.hasPrefix("(") {
                let tag = body[body.index(after: body.startIndex)..<body.firstIndex(of: ")")!]
                applies = tag.split(separator: "|").contains("py")
                body = String(body[body.index(after: body.firstIndex(of: ")")!)...])
            }
            if body.hasPrefix("Field") && !body.contains("=") {
                sectionApplies = applies
                field = nil
                continue
            }
            if body.hasPrefix("field=tableschema.Field: [") {
                let json = body.dropFirst("field=tableschema.Field: [".count).dropLast().replacingOccurrences(of: "'", with: "\"")
                field = String(json)
                continue
            }
            guard applies, sectionApplies, let field, body.hasPrefix("field.cast_value: ['") else { continue }
            guard !unsupportedTypes.contains(where: { field.contains("\"type\": \"\($0)\"") }), !field.contains("\"format\": \"any\"")
            else { continue }
            let rest = body.dropFirst("field.cast_value: ['".count)
            guard let close = rest.range(of: "', ==: ") else { continue }
            let input = String(rest[..<close.lowerBound])
            let expected = rest[close.upperBound...].dropLast()
            if input.isEmpty { continue }  // '' → null is the missing-value rule, tested elsewhere
            cases.append(Case(field: field, input: input, expectError: expected == "ERROR", line: n + 1))
        }
        return cases
    }

    @Test func suiteIsReadAndCoversTheSupportedTypes() {
        let cases = Self.cases
        #expect(cases.count >= 50, "read only \(cases.count) cases")
        for type in ["string", "integer", "number", "boolean", "date", "time", "datetime", "year", "yearmonth"] {
            #expect(cases.contains { $0.field.contains("\"type\": \"\(type)\"") }, "no case for \(type)")
        }
    }

    @Test(arguments: cases)
    func castsLikeTheReferenceImplementations(_ testCase: Case) throws {
        let problem = try castProblem(testCase.input, field: testCase.field)
        if testCase.expectError {
            #expect(problem != nil, "\(testCase) should fail")
        } else {
            #expect(problem == nil, "\(testCase): \(problem?.message ?? "")")
        }
    }
}
