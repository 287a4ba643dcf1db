/// A SOAP Fault found in a dump instead of data: SOAP 1.1 (`faultcode`, `faultstring`,
/// `faultactor`, `detail`) or 1.2 (`Code/Value` with `Subcode/Value`, `Reason/Text`, `Detail`).
public struct SOAPFault: Sendable, Equatable, CustomStringConvertible {
    /// The envelope's number in the file, from 1.
    public var envelope: Int
    /// `soap:Server`; in SOAP 1.2 the code and its subcodes, `soap:Sender / m:MessageTimeout`.
    public var code: String
    /// The human-readable reason.
    public var reason: String
    /// The detail's text, shortened.
    public var detail: String
    public var line: Int
    public var path: String

    public var description: String {
        let code = code.isEmpty ? "(no code)" : code
        let reason = reason.isEmpty ? "(no reason given)" : reason
        return "SOAP fault \(code): \(reason)" + (detail.isEmpty ? "" : " — detail: \(detail)")
    }
}
