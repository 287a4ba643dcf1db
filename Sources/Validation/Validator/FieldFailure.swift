import Formats

/// Why one cell broke one rule.
struct FieldFailure: Sendable {
    var code: DiagnosticCode
    var rule: String
    var message: String
}
