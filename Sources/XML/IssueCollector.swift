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
        let path = error.pointee.node.flatMap { elementPath($0.assumingMemoryBound(to: xmlNode.self)) }
        collector.add(XMLIssue(line: error.pointee.line > 0 ? Int(error.pointee.line) : nil, path: path, message: message))
    }

    /// Runs `body` with the collector as an opaque pointer for libxml2.
    func withUserData<T>(_ body: (UnsafeMutableRawPointer) throws -> T) rethrows -> T {
        try withExtendedLifetime(self) { try body(Unmanaged.passUnretained(self).toOpaque()) }
    }

    /// `/Auftraege/Auftrag[2]/Menge`: local names (libxml2's own `xmlGetNodePath` writes `*` for
    /// elements in a default namespace), with a position where siblings share the name.
    static func elementPath(_ node: UnsafeMutablePointer<xmlNode>) -> String? {
        var parts: [String] = []
        var current: UnsafeMutablePointer<xmlNode>? = node
        while let element = current, element.pointee.type == XML_ELEMENT_NODE {
            let name = element.pointee.name.map { String(cString: $0) } ?? "?"
            var index = 1
            var shared = false
            var sibling = element.pointee.parent?.pointee.children
            while let other = sibling {
                if other != element, other.pointee.type == XML_ELEMENT_NODE, other.pointee.name.map({ String(cString: $0) }) == name {
                    shared = true
                }
                if other == element { break }
                if other.pointee.type == XML_ELEMENT_NODE, other.pointee.name.map({ String(cString: $0) }) == name { index += 1 }
                sibling = other.pointee.next
            }
            // A later sibling of the same name also makes the position worth writing.
            var later = element.pointee.next
            while !shared, let other = later {
                if other.pointee.type == XML_ELEMENT_NODE, other.pointee.name.map({ String(cString: $0) }) == name { shared = true }
                later = other.pointee.next
            }
            parts.append(shared ? "\(name)[\(index)]" : name)
            current = element.pointee.parent
        }
        return parts.isEmpty ? nil : "/" + parts.reversed().joined(separator: "/")
    }
}
