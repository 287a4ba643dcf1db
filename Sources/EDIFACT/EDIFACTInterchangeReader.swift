public import Formats

/// What the interchange reader hands on, in file order.
public enum EDIFACTEvent: Sendable {
    case interchangeStart(InterchangeHeader)
    case groupStart(GroupHeader)
    case messageStart(MessageHeader)
    /// A segment between UNH and UNT, with its number inside the message (UNH is 1).
    case segment(EDIFACTSegment, inMessage: Int)
    /// After UNT (or where a missing UNT was noticed); `valid` is false when the envelope
    /// check found an error in it.
    case messageEnd(MessageHeader, valid: Bool)
    case groupEnd(GroupHeader)
    /// After UNZ (or where a missing one was noticed); `valid` is false when its envelope is wrong.
    case interchangeEnd(InterchangeHeader, valid: Bool)
}

/// Reads EDIFACT interchanges in stream and checks their envelopes: UNB/UNZ (reference, and
/// the count of messages or groups), UNG/UNE, UNH/UNT (reference, and the count of segments),
/// the mandatory parts of each service segment, segments outside any message, groups and
/// messages mixed. Each problem is kept with its position; the reading goes on, so one file
/// reports every broken message. An error the tokenizer cannot get past is thrown.
public struct EDIFACTInterchangeReader<Source: ByteSource> {
    /// The problems found so far, at most `maximumProblems` of them; `problemsLeftOut` counts
    /// the rest.
    public private(set) var problems: [EDIFACTProblem] = []
    public private(set) var problemsLeftOut = 0
    public let maximumProblems: Int
    /// The interchange being read (or the last one), for answers such as CONTRL.
    public private(set) var interchange: InterchangeHeader?
    /// Interchanges and messages read so far.
    public private(set) var interchangeCount = 0
    public private(set) var messageCount = 0

    private var tokenizer: EDIFACTTokenizer<Source>
    private var pending: [EDIFACTEvent] = []
    private var pendingIndex = 0
    private var finished = false
    private var group: GroupHeader?
    private var message: MessageHeader?
    private var segmentsInMessage = 0
    private var messageValid = true
    private var interchangeValid = true
    private var messagesInInterchange = 0
    private var groupsInInterchange = 0
    private var messagesInGroup = 0
    private var strayReported = false
    /// A bare message (no UNB) was reported once.
    private var bareReported = false
    private var sawSegment = false

    public init(source: Source, limits: EDIFACTLimits = EDIFACTLimits(), maximumProblems: Int = 1000) {
        tokenizer = EDIFACTTokenizer(source: source, limits: limits)
        self.maximumProblems = maximumProblems
    }

    /// Bytes read so far.
    public var bytesRead: Int { tokenizer.bytesRead }

    /// The service characters in force.
    public var characters: ServiceCharacters { tokenizer.characters }

    /// The next event, or nil after the last.
    public mutating func next() throws -> EDIFACTEvent? {
        while pendingIndex >= pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            if finished { return nil }
            guard let segment = try tokenizer.next() else {
                finish()
                continue
            }
            sawSegment = true
            take(segment)
        }
        defer { pendingIndex += 1 }
        return pending[pendingIndex]
    }

    // MARK: - Segments

    private mutating func take(_ segment: EDIFACTSegment) {
        switch segment.tag {
        case "UNA":
            if interchange != nil { closeInterchange(missingAt: segment.position, before: "UNA") }
        case "UNB": startInterchange(segment)
        case "UNG": startGroup(segment)
        case "UNH": startMessage(segment)
        case "UNT": endMessage(segment)
        case "UNE": endGroup(segment)
        case "UNZ": endInterchange(segment)
        default:
            guard let message else {
                report(.edifactEnvelope, "segment \(segment.tag) is outside any message (no UNH before it)", .interchange,
                       segment, code: 33)
                return
            }
            segmentsInMessage += 1
            if let stray = segment.strayCharacter, !strayReported {
                strayReported = true
                report(.edifactCharacter,
                       "\"\(stray.character)\" is not in the repertoire of \(interchange?.syntaxIdentifier ?? "the syntax level"); kept as read (the first such character in this message)",
                       .message(reference: message.reference), segment, element: stray.element, component: stray.component,
                       code: 21, severity: .warning)
            }
            pending.append(.segment(segment, inMessage: segmentsInMessage))
        }
    }

    private mutating func startInterchange(_ segment: EDIFACTSegment) {
        if interchange != nil { closeInterchange(missingAt: segment.position, before: "UNB") }
        let header = InterchangeHeader(unb: segment, characters: tokenizer.characters)
        interchangeValid = true
        messagesInInterchange = 0
        groupsInInterchange = 0
        interchangeCount += 1
        interchange = header
        if let charset = EDIFACTCharset(syntaxIdentifier: header.syntaxIdentifier) {
            tokenizer.charset = charset
        } else {
            tokenizer.charset = .iso8859(part: 1)
            report(.edifactCharacter,
                   header.syntaxIdentifier.isEmpty ? "UNB names no syntax identifier; read as ISO 8859-1"
                       : "syntax identifier \"\(header.syntaxIdentifier)\" is not one Hafen knows (UNOA–UNOL, UNOW, UNOY); read as ISO 8859-1",
                   .interchange, segment, element: 1, component: 1, code: header.syntaxIdentifier.isEmpty ? 13 : 2, severity: .warning)
        }
        let mandatory: [(Int, Int, String)] = [(1, 1, "syntax identifier (0001)"), (1, 2, "syntax version (0002)"),
                                              (2, 1, "sender (0004)"), (3, 1, "recipient (0010)"), (4, 1, "date (0017)"),
                                              (4, 2, "time (0019)"), (5, 1, "control reference (0020)")]
        for (element, component, name) in mandatory where segment.given(element, component) == nil && !(element == 1 && component == 1) {
            report(.edifactEnvelope, "UNB has no \(name)", .interchange, segment, element: element, component: component, code: 13)
        }
        pending.append(.interchangeStart(header))
    }

    private mutating func startGroup(_ segment: EDIFACTSegment) {
        if message != nil { closeMessage(missingAt: segment.position, before: "UNG") }
        if let group { closeGroup(group, missingAt: segment.position) }
        if interchange == nil {
            report(.edifactEnvelope, "UNG comes before any UNB", .interchange, segment, code: 33)
        } else if messagesInInterchange > 0 && groupsInInterchange == 0 {
            report(.edifactEnvelope, "the interchange mixes messages outside groups with groups (UNG)", .interchange, segment, code: 30)
        }
        let header = GroupHeader(ung: segment)
        if header.reference.isEmpty {
            report(.edifactEnvelope, "UNG has no group reference (0048)", .interchange, segment, element: 5, component: 1, code: 13)
        }
        group = header
        groupsInInterchange += 1
        messagesInGroup = 0
        pending.append(.groupStart(header))
    }

    private mutating func startMessage(_ segment: EDIFACTSegment) {
        if message != nil { closeMessage(missingAt: segment.position, before: "UNH") }
        if interchange == nil && !bareReported {
            bareReported = true
            report(.edifactEnvelope, "message without an interchange: no UNB before UNH", .interchange, segment, code: 13)
        } else if groupsInInterchange > 0 && group == nil {
            report(.edifactEnvelope, "the interchange mixes groups (UNG) with messages outside them", .interchange, segment, code: 30)
        }
        let header = MessageHeader(unh: segment)
        message = header
        segmentsInMessage = 1
        messageValid = true
        strayReported = false
        messageCount += 1
        messagesInInterchange += 1
        messagesInGroup += 1
        let scope = EDIFACTProblem.Scope.message(reference: header.reference)
        if header.reference.isEmpty {
            report(.edifactEnvelope, "UNH has no message reference (0062)", scope, segment, element: 1, component: 1, code: 13)
        }
        for (component, name) in [(1, "message type (0065)"), (2, "version (0052)"), (3, "release (0054)"), (4, "agency (0051)")]
        where segment.given(2, component) == nil {
            report(.edifactEnvelope, "UNH has no \(name)", scope, segment, element: 2, component: component, code: 13)
        }
        pending.append(.messageStart(header))
    }

    private mutating func endMessage(_ segment: EDIFACTSegment) {
        guard let header = message else {
            report(.edifactEnvelope, "UNT without a UNH before it", .interchange, segment, code: 33)
            return
        }
        segmentsInMessage += 1
        let scope = EDIFACTProblem.Scope.message(reference: header.reference)
        let count = segment.value(1, 1) ?? ""
        if count != String(segmentsInMessage) {
            report(.edifactEnvelope,
                   count.isEmpty ? "UNT has no segment count (0074); the message has \(segmentsInMessage) segments"
                       : "UNT counts \(count) segments, but message \(header.reference) has \(segmentsInMessage) (UNH and UNT included)",
                   scope, segment, element: 1, component: 1, code: count.isEmpty ? 13 : 29)
        }
        let reference = segment.value(2, 1) ?? ""
        if reference != header.reference {
            report(.edifactEnvelope,
                   "UNT's message reference \"\(reference)\" differs from UNH's \"\(header.reference)\"",
                   scope, segment, element: 2, component: 1, code: reference.isEmpty ? 13 : 28)
        }
        pending.append(.messageEnd(header, valid: messageValid))
        message = nil
    }

    private mutating func endGroup(_ segment: EDIFACTSegment) {
        if message != nil { closeMessage(missingAt: segment.position, before: "UNE") }
        guard let header = group else {
            report(.edifactEnvelope, "UNE without a UNG before it", .interchange, segment, code: 33)
            return
        }
        let count = segment.value(1, 1) ?? ""
        if count != String(messagesInGroup) {
            report(.edifactEnvelope, "UNE counts \(count.isEmpty ? "no" : count) messages, but group \(header.reference) has \(messagesInGroup)",
                   .interchange, segment, element: 1, component: 1, code: count.isEmpty ? 13 : 29)
        }
        let reference = segment.value(2, 1) ?? ""
        if reference != header.reference {
            report(.edifactEnvelope, "UNE's group reference \"\(reference)\" differs from UNG's \"\(header.reference)\"",
                   .interchange, segment, element: 2, component: 1, code: reference.isEmpty ? 13 : 28)
        }
        pending.append(.groupEnd(header))
        group = nil
    }

    private mutating func endInterchange(_ segment: EDIFACTSegment) {
        if message != nil { closeMessage(missingAt: segment.position, before: "UNZ") }
        if let group { closeGroup(group, missingAt: segment.position) }
        guard let header = interchange else {
            report(.edifactEnvelope, "UNZ without a UNB before it", .interchange, segment, code: 33)
            return
        }
        let expected = groupsInInterchange > 0 ? groupsInInterchange : messagesInInterchange
        let what = groupsInInterchange > 0 ? "groups" : "messages"
        let count = segment.value(1, 1) ?? ""
        if count != String(expected) {
            report(.edifactEnvelope,
                   "UNZ counts \(count.isEmpty ? "no" : count) \(what), but interchange \(header.controlReference) has \(expected)",
                   .interchange, segment, element: 1, component: 1, code: count.isEmpty ? 13 : 29)
        }
        let reference = segment.value(2, 1) ?? ""
        if reference != header.controlReference {
            report(.edifactEnvelope,
                   "UNZ's control reference \"\(reference)\" differs from UNB's \"\(header.controlReference)\"",
                   .interchange, segment, element: 2, component: 1, code: reference.isEmpty ? 13 : 28)
        }
        pending.append(.interchangeEnd(header, valid: interchangeValid))
        interchange = nil
    }

    // MARK: - Missing trailers

    private mutating func closeMessage(missingAt position: SegmentPosition, before tag: String) {
        guard let header = message else { return }
        report(.edifactEnvelope, "message \(header.reference) (\(header.type)) has no UNT before \(tag)",
               .message(reference: header.reference), at: position, tag: "UNH", code: 13)
        pending.append(.messageEnd(header, valid: false))
        message = nil
    }

    private mutating func closeGroup(_ header: GroupHeader, missingAt position: SegmentPosition) {
        report(.edifactEnvelope, "group \(header.reference) has no UNE", .interchange, at: position, tag: "UNG", code: 13)
        pending.append(.groupEnd(header))
        group = nil
    }

    private mutating func closeInterchange(missingAt position: SegmentPosition, before tag: String) {
        if message != nil { closeMessage(missingAt: position, before: tag) }
        if let group { closeGroup(group, missingAt: position) }
        guard let header = interchange else { return }
        report(.edifactEnvelope, "interchange \(header.controlReference) has no UNZ" + (tag.isEmpty ? " (the file ends)" : " before \(tag)"),
               .interchange, at: position, tag: "UNB", code: 13)
        pending.append(.interchangeEnd(header, valid: false))
        interchange = nil
    }

    private mutating func finish() {
        finished = true
        let position = SegmentPosition(segment: tokenizer.segmentCount + 1, line: 0, byteOffset: tokenizer.bytesRead)
        if !sawSegment {
            report(.edifactEnvelope, "the file holds no segments", .interchange, at: position, code: 13)
            return
        }
        if message != nil { closeMessage(missingAt: position, before: "the end of the file") }
        if let group { closeGroup(group, missingAt: position) }
        closeInterchange(missingAt: position, before: "")
    }

    // MARK: - Problems

    private mutating func report(
        _ code: DiagnosticCode, _ text: String, _ scope: EDIFACTProblem.Scope, _ segment: EDIFACTSegment,
        element: Int? = nil, component: Int? = nil, code syntaxCode: Int, severity: EDIFACTProblem.Severity = .error
    ) {
        report(code, text, scope, at: segment.position, tag: segment.tag, element: element, component: component,
               code: syntaxCode, severity: severity)
    }

    private mutating func report(
        _ code: DiagnosticCode, _ text: String, _ scope: EDIFACTProblem.Scope, at position: SegmentPosition, tag: String? = nil,
        element: Int? = nil, component: Int? = nil, code syntaxCode: Int, severity: EDIFACTProblem.Severity = .error
    ) {
        let inMessage: Int? = if case .message = scope, message != nil { segmentsInMessage } else { nil }
        if problems.count < maximumProblems {
            problems.append(EDIFACTProblem(
                code, text, scope: scope, at: position, tag: tag, segmentInMessage: inMessage, element: element, component: component,
                syntaxErrorCode: syntaxCode, severity: severity))
        } else {
            problemsLeftOut += 1
        }
        guard severity == .error else { return }
        switch scope {
        case .interchange: interchangeValid = false
        case .message: messageValid = false
        }
    }
}
