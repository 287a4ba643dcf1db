import CLibXML2
import Foundation

/// Gathers libxml2's structured errors for one parser or validation context. It is handed to
/// libxml2 as the handler's user data, so each context reports to its own collector, never to
/// the process-global last error.
final class IssueCollector {
    private(set) var issues: [XMLIssue] = []
    /// More than this many are counted, not kept (a hostile document can have millions).
    let limit: Int
    private(set) var dropped = 0

    init(limit: Int = 100) {
        self.limit = limit
    }

    func add(_ issue: XMLIssue) {
        if issues.count < limit { issues.append(issue) } else { dropped += 1 }
    }

    /// The C handler: `userData` is an unretained `IssueCollector`.
    static let handler: xmlStructuredErrorFunc = { userData, error in
        guard let userData, let error else { return }
        let collector = Unmanaged<IssueCollector>.fromOpaque(userData).takeUnretainedValue()
        let message = error.pointee.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown libxml2 error"
        var path: String?
        if let node = error.pointee.node, let raw = xmlGetNodePath(node.assumingMemoryBound(to: xmlNode.self)) {
            path = String(cString: raw)
            hafen_xml_free(raw)
        }
        collector.add(XMLIssue(line: error.pointee.line > 0 ? Int(error.pointee.line) : nil, path: path, message: message))
    }

    /// Runs `body` with the collector as an opaque pointer for libxml2.
    func withUserData<T>(_ body: (UnsafeMutableRawPointer) throws -> T) rethrows -> T {
        try withExtendedLifetime(self) { try body(Unmanaged.passUnretained(self).toOpaque()) }
    }
}
