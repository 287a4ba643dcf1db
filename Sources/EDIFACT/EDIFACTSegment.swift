/// One segment as read: its tag, its data elements (each with its components, and the further
/// repetitions of a repeated element) and where it starts.
public struct EDIFACTSegment: Sendable, Hashable {
    /// `UNH`, `LIN`, `QTY`…
    public var tag: String
    /// Further components of the tag element (explicit nesting, syntax version 4); usually empty.
    public var tagComponents: [String]
    /// The data elements after the tag, in order; element 1 is `elements[0]`.
    public var elements: [EDIFACTElement]
    public var position: SegmentPosition
    /// The first character outside the syntax level's repertoire (UNOA: a lower-case letter),
    /// if any: a warning, the value is kept as read.
    public var strayCharacter: StrayCharacter?

    public init(tag: String, elements: [EDIFACTElement], position: SegmentPosition = SegmentPosition(), tagComponents: [String] = []) {
        self.tag = tag
        self.tagComponents = tagComponents
        self.elements = elements
        self.position = position
    }

    /// Builds a segment from plain values: one array of components per element.
    public init(_ tag: String, _ elements: [[String]]) {
        self.init(tag: tag, elements: elements.map { EDIFACTElement($0) })
    }

    /// The value at element `element` (1-based), component `component` (1-based), first
    /// repetition; nil when the segment has no such element or component. An empty value is "".
    public func value(_ element: Int, _ component: Int = 1) -> String? {
        guard element >= 1, element <= elements.count else { return nil }
        let components = elements[element - 1].components
        guard component >= 1, component <= components.count else { return nil }
        return components[component - 1]
    }

    /// Like `value`, but nil for an empty value too: what "is the element given?" asks.
    public func given(_ element: Int, _ component: Int = 1) -> String? {
        guard let text = value(element, component), !text.isEmpty else { return nil }
        return text
    }

    /// The segment as plain values, for comparisons: components per element (repetitions after
    /// the first are left out).
    public var plainElements: [[String]] { elements.map(\.components) }
}

/// A data element: its components, and where the element repeats (syntax version 4), the
/// components of each further repetition.
public struct EDIFACTElement: Sendable, Hashable {
    public var components: [String]
    public var repetitions: [[String]]

    public init(_ components: [String], repetitions: [[String]] = []) {
        self.components = components
        self.repetitions = repetitions
    }

    /// Whether every component is empty.
    public var isEmpty: Bool { components.allSatisfy(\.isEmpty) && repetitions.isEmpty }
}

/// Where a segment starts: its number in the file, counted from 1, the physical line and the
/// byte offset.
public struct SegmentPosition: Sendable, Hashable {
    public var segment: Int
    public var line: Int
    public var byteOffset: Int

    public init(segment: Int = 0, line: Int = 0, byteOffset: Int = 0) {
        self.segment = segment
        self.line = line
        self.byteOffset = byteOffset
    }
}

/// A character the interchange's syntax level does not include.
public struct StrayCharacter: Sendable, Hashable {
    /// 1-based element and component.
    public var element: Int
    public var component: Int
    public var character: String
}
