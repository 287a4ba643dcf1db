import CLibXML2
import Foundation

/// Gathers libxml2's structured errors for one parser, reader or validation context. It is
/// handed to libxml2 as the handler's user data, so each context reports to its own collector,
/// never to the process-global last error.
final class IssueCollector {
    struct Entry {
        var issue: XMLIssue
        /// A well-formedness or limit error that ends the read (libxml2's fatal level).
        var fatal: Bool
        /// The local name of the element libxml2 names, if any.
        var element: String?
    }

    private(set) var entries: [Entry] = []
    /// More than this many are counted, not kept (a hostile document can have millions).
    let limit: Int
    private(set) var dropped = 0

    init(limit: Int = 100) {
        self.limit = limit
    }

    var issues: [XMLIssue] { entries.map(\.issue) }

    func add(_ entry: Entry) {
        if entries.count < limit || entry.fatal { entries.append(entry) } else { dropped += 1 }
    }

    /// Whether nothing was reported since the last drain.
    var isEmpty: Bool { entries.isEmpty }

    /// What was reported since the last drain.
    func drain() -> [Entry] {
        defer { entries = [] }
        return entries
    }

    /// The C handler: `userData` is an unretained `IssueCollector`.
    static let handler: xmlStructuredErrorFunc = { userData, error in
        guard let userData, let error else { return }
        let collector = Unmanaged<IssueCollector>.fromOpaque(userData).takeUnretainedValue()
        let message = error.pointee.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown libxml2 error"
        let path = error.pointee.node.flatMap { elementPath($0.assumingMemoryBound(to: xmlNode.self)) }
        let fatal = error.pointee.level == XML_ERR_FATAL
        let node = error.pointee.node?.assumingMemoryBound(to: xmlNode.self)
        let element = node.flatMap { $0.pointee.type == XML_ELEMENT_NODE ? $0.pointee.name.map { String(cString: $0) } : nil }
        collector.add(Entry(
            issue: XMLIssue(line: error.pointee.line > 0 ? Int(error.pointee.line) : nil, path: path, message: message), fatal: fatal, element: element))
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
            func same(_ other: UnsafeMutablePointer<xmlNode>) -> Bool {
                other.pointee.type == XML_ELEMENT_NODE && other.pointee.name.map({ String(cString: $0) }) == name
            }
            var index = 1
            var shared = false
            var sibling = element.pointee.prev
            while let other = sibling {
                if same(other) { index += 1 }
                sibling = other.pointee.prev
            }
            shared = index > 1
            var later = element.pointee.next
            while !shared, let other = later {
                shared = same(other)
                later = other.pointee.next
            }
            parts.append(shared ? "\(name)[\(index)]" : name)
            current = element.pointee.parent
        }
        return parts.isEmpty ? nil : "/" + parts.reversed().joined(separator: "/")
    }
}
