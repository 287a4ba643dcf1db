public import Formats

/// Something wrong in an interchange, found while it streams: what, where (segment number in
/// the file and in its message, line, element and component), which envelope it spoils, and the
/// codes that report it (Hafen's `HE…` code, and the syntax error code a CONTRL carries).
public struct EDIFACTProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: Sendable, Hashable { case error, warning }

    /// What the problem rejects: the whole interchange (its envelope), or one message.
    public enum Scope: Sendable, Hashable {
        case interchange
        case message(reference: String)
    }

    public var code: DiagnosticCode
    public var severity: Severity
    public var scope: Scope
    public var message: String
    /// The segment at fault (or where the fault was noticed, for a missing one).
    public var position: SegmentPosition
    public var tag: String?
    /// The segment's number inside its message (UNH is 1), for CONTRL's UCS.
    public var segmentInMessage: Int?
    /// 1-based element and component.
    public var element: Int?
    public var component: Int?
    /// UN/EDIFACT service code list 0085: 13 missing, 28 references do not match, 29 control
    /// count does not match, 33 invalid occurrence outside a message …
    public var syntaxErrorCode: Int

    public init(
        _ code: DiagnosticCode, _ message: String, scope: Scope, at position: SegmentPosition, tag: String? = nil,
        segmentInMessage: Int? = nil, element: Int? = nil, component: Int? = nil, syntaxErrorCode: Int, severity: Severity = .error
    ) {
        self.code = code
        self.severity = severity
        self.scope = scope
        self.message = message
        self.position = position
        self.tag = tag
        self.segmentInMessage = segmentInMessage
        self.element = element
        self.component = component
        self.syntaxErrorCode = syntaxErrorCode
    }

    /// The place for a diagnostic's field: the tag with element and component (`UNT element 1
    /// component 1`).
    public var place: String? {
        guard let tag else { return nil }
        var text = tag
        if let element { text += " element \(element)" }
        if let component { text += " component \(component)" }
        return text
    }

    public var description: String {
        var text = "segment \(position.segment) (line \(position.line))"
        if let place { text += " \(place)" }
        return text + ": " + message
    }
}
