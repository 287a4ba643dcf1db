/// A file that cannot be read as EDIFACT from some point on (a bad UNA, a segment that never
/// ends, bytes the charset does not have, a broken limit): where, why, and the EDIFACT syntax
/// error code (`0085`) a CONTRL reports for it.
public struct EDIFACTSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var position: SegmentPosition
    /// 1-based element and component, where the fault is inside one.
    public var element: Int?
    public var component: Int?
    /// The syntax error code of UN/EDIFACT's service code list 0085 (12 invalid value, 21
    /// invalid character, 39 data element too long …).
    public var syntaxErrorCode: Int

    public init(_ message: String, at position: SegmentPosition, element: Int? = nil, component: Int? = nil, code: Int) {
        self.message = message
        self.position = position
        self.element = element
        self.component = component
        self.syntaxErrorCode = code
    }

    public var description: String {
        var place = "segment \(position.segment) (line \(position.line)"
        if let element { place += ", element \(element)" + (component.map { ", component \($0)" } ?? "") }
        return place + "): " + message
    }
}

/// Bounds the tokenizer keeps whatever a file holds, so a hostile file cannot use up memory.
public struct EDIFACTLimits: Sendable, Hashable {
    /// Bytes in one segment (EANCOM's longest, FTX, has under 2,000).
    public var maximumSegmentBytes: Int
    /// Data elements in one segment, components in one element, repetitions of one element.
    public var maximumElements: Int
    public var maximumComponents: Int
    public var maximumRepetitions: Int

    public init(maximumSegmentBytes: Int = 65_536, maximumElements: Int = 99, maximumComponents: Int = 99, maximumRepetitions: Int = 999) {
        self.maximumSegmentBytes = maximumSegmentBytes
        self.maximumElements = maximumElements
        self.maximumComponents = maximumComponents
        self.maximumRepetitions = maximumRepetitions
    }
}
