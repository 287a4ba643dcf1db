/// An interchange's UNB: who sent it to whom, when, under which reference and syntax.
public struct InterchangeHeader: Sendable, Hashable {
    /// `0001`: UNOA, UNOC, UNOW…
    public var syntaxIdentifier: String
    /// `0002`: 1–4.
    public var syntaxVersion: String
    /// `0004` and its qualifier `0007`.
    public var sender: PartyIdentification
    /// `0010` and its qualifier `0007`.
    public var recipient: PartyIdentification
    /// `0017` (YYMMDD, or CCYYMMDD in version 4) and `0019` (HHMM).
    public var date: String
    public var time: String
    /// `0020`: the interchange control reference, repeated in UNZ.
    public var controlReference: String
    /// `0026`: the application reference (often the message type).
    public var applicationReference: String
    /// `0035`: "1" marks a test interchange.
    public var isTest: Bool
    /// The service characters the interchange uses.
    public var characters: ServiceCharacters
    public var position: SegmentPosition

    /// Reads a UNB segment; missing mandatory parts are left empty (the reader reports them).
    init(unb segment: EDIFACTSegment, characters: ServiceCharacters) {
        syntaxIdentifier = segment.value(1, 1) ?? ""
        syntaxVersion = segment.value(1, 2) ?? ""
        sender = PartyIdentification(id: segment.value(2, 1) ?? "", qualifier: segment.given(2, 2))
        recipient = PartyIdentification(id: segment.value(3, 1) ?? "", qualifier: segment.given(3, 2))
        date = segment.value(4, 1) ?? ""
        time = segment.value(4, 2) ?? ""
        controlReference = segment.value(5, 1) ?? ""
        applicationReference = segment.value(7, 1) ?? ""
        isTest = segment.value(11, 1) == "1"
        self.characters = characters
        position = segment.position
    }
}

/// A party of an interchange or group: its identification and the code list qualifier.
public struct PartyIdentification: Sendable, Hashable, CustomStringConvertible {
    public var id: String
    /// `14` (GLN), `ZZZ` (mutually defined) …
    public var qualifier: String?

    public init(id: String, qualifier: String? = nil) {
        self.id = id
        self.qualifier = qualifier
    }

    public var description: String { qualifier.map { "\(id):\($0)" } ?? id }
}

/// A functional group's UNG.
public struct GroupHeader: Sendable, Hashable {
    /// `0038`: the message type the group holds.
    public var functionalIdentification: String
    /// `0048`: the group reference, repeated in UNE.
    public var reference: String
    public var position: SegmentPosition

    init(ung segment: EDIFACTSegment) {
        functionalIdentification = segment.value(1, 1) ?? ""
        reference = segment.value(5, 1) ?? ""
        position = segment.position
    }
}

/// A message's UNH: its reference and its type, directory and association code.
public struct MessageHeader: Sendable, Hashable {
    /// `0062`: the message reference, repeated in UNT.
    public var reference: String
    /// `0065`: INVRPT, PRICAT, DESADV, ORDERS, CONTRL, APERAK…
    public var type: String
    /// `0052` and `0054`: D and 96A.
    public var version: String
    public var release: String
    /// `0051`: UN.
    public var agency: String
    /// `0057`: EAN008 and the like.
    public var association: String
    public var position: SegmentPosition

    init(unh segment: EDIFACTSegment) {
        reference = segment.value(1, 1) ?? ""
        type = segment.value(2, 1) ?? ""
        version = segment.value(2, 2) ?? ""
        release = segment.value(2, 3) ?? ""
        agency = segment.value(2, 4) ?? ""
        association = segment.value(2, 5) ?? ""
        position = segment.position
    }

    /// `INVRPT D96A EAN008`.
    public var identification: String {
        [type, version + release, association].filter { !$0.isEmpty }.joined(separator: " ")
    }
}
