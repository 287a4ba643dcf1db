/// A source of XML events with the validation problems found so far: a plain document
/// (`XMLReader`) or the payloads of SOAP envelopes (`SOAPEnvelopeReader`).
public protocol XMLEventStream: AnyObject {
    /// The next event, or nil at the end. Throws when the input is not well-formed XML.
    func next() throws(XMLError) -> XMLReader.Event?
    /// The path of the element the stream is in; right after a start, the element's own
    /// (`/Artikelexport/Artikel[1234]`). Built when asked for.
    var path: String { get }
    /// Validation problems so far, each placed at its element path; the list only grows.
    var issues: [XMLIssue] { get }
}

extension XMLReader: XMLEventStream {}
