/// A finding about the data: where, which field, the value as read, the rule, and a message.
public struct Diagnostic: Sendable, Hashable {
    public enum Severity: String, Sendable, Codable {
        case error
        case warning
    }

    public var code: DiagnosticCode
    public var severity: Severity
    public var position: Position
    public var field: String?
    public var value: String?
    public var rule: String?
    public var message: String

    public init(
        _ code: DiagnosticCode,
        at position: Position,
        field: String? = nil,
        value: String? = nil,
        rule: String? = nil,
        severity: Severity = .error,
        message: String
    ) {
        self.code = code
        self.severity = severity
        self.position = position
        self.field = field
        self.value = value
        self.rule = rule
        self.message = message
    }
}

extension Diagnostic: Codable {
    enum CodingKeys: String, CodingKey {
        case code, severity, file, line, column, row, field, value, rule, message
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(DiagnosticCode.self, forKey: .code)
        severity = try c.decodeIfPresent(Severity.self, forKey: .severity) ?? .error
        position = Position(
            file: try c.decodeIfPresent(String.self, forKey: .file) ?? "",
            line: try c.decodeIfPresent(Int.self, forKey: .line),
            column: try c.decodeIfPresent(Int.self, forKey: .column),
            row: try c.decodeIfPresent(Int.self, forKey: .row)
        )
        field = try c.decodeIfPresent(String.self, forKey: .field)
        value = try c.decodeIfPresent(String.self, forKey: .value)
        rule = try c.decodeIfPresent(String.self, forKey: .rule)
        message = try c.decode(String.self, forKey: .message)
    }

    /// Every key is written, `null` where unknown, so scripts can rely on the shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(severity, forKey: .severity)
        try c.encode(position.file, forKey: .file)
        try c.encode(position.line, forKey: .line)
        try c.encode(position.column, forKey: .column)
        try c.encode(position.row, forKey: .row)
        try c.encode(field, forKey: .field)
        try c.encode(value, forKey: .value)
        try c.encode(rule, forKey: .rule)
        try c.encode(message, forKey: .message)
    }
}
