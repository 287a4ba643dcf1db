import Foundation

/// Cuts an XML stream into records: every element with the record's name (`Artikel`, the IDoc
/// segment `E1MARAM`) becomes one record, and its fields are read by paths relative to it:
/// `@nummer` (an attribute), `Preis` (a child's text), `Preis/@waehrung`, `E1MAKTM/MAKTX`, `.`
/// (the record's own text). A path met several times in one record gives several values, in
/// document order. One step may choose among repeated elements by a child's text:
/// `E1MAKTM[SPRAS_ISO=DE]/MAKTX` is the MAKTX of the E1MAKTM whose SPRAS_ISO is DE.
public final class XMLRecordReader {
    /// One record: where it starts, and the values of the wanted paths.
    public struct Record: Sendable {
        /// The record's number in the file, from 1.
        public var index: Int
        public var line: Int
        public var path: String
        public var values: [String: [String]]
    }

    public let reader: any XMLEventStream
    public let recordName: String
    private let wanted: Set<String>
    private let choices: [Choice]
    private var count = 0

    /// A path with a condition: `base[key=value]/rest`.
    struct Choice {
        var path: String
        var base: String
        var key: String
        var value: String
        var rest: String

        /// Parses `base[key=value]/rest`; nil for a plain path.
        init?(_ path: String) {
            guard let open = path.firstIndex(of: "["), let close = path.firstIndex(of: "]"), open < close,
                  path[path.index(after: close)...].hasPrefix("/") else { return nil }
            let condition = path[path.index(after: open)..<close]
            guard let equals = condition.firstIndex(of: "=") else { return nil }
            self.path = path
            base = String(path[..<open])
            key = String(condition[..<equals]).trimmingCharacters(in: .whitespaces)
            value = String(condition[condition.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
                .trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            rest = String(path[path.index(close, offsetBy: 2)...])
            guard !base.isEmpty, !key.isEmpty, !rest.isEmpty, !rest.contains("[") else { return nil }
        }
    }

    /// - Parameter paths: the relative paths the fields read (others are not kept).
    public init(reader: any XMLEventStream, record: String, paths: Set<String>) {
        self.reader = reader
        recordName = record
        choices = paths.compactMap(Choice.init)
        wanted = paths
    }

    /// The next record, or nil when the document ends. Throws what the reader throws.
    public func next() throws(XMLError) -> Record? {
        while let event = try reader.next() {
            guard case .start(let element) = event, element.name == recordName else { continue }
            return try read(element)
        }
        return nil
    }

    private func read(_ element: XMLReader.Element) throws(XMLError) -> Record {
        count += 1
        var record = Record(index: count, line: element.line, path: element.path, values: [:])
        func keep(_ path: String, _ value: String) {
            if wanted.contains(path) { record.values[path, default: []].append(value) }
        }
        for attribute in element.attributes { keep("@" + attribute.name, attribute.value) }
        guard !element.isEmpty else {
            _ = try reader.next()  // its end
            keep(".", "")
            return record
        }
        // The open elements below the record: relative path and text so far.
        var stack: [(path: String, text: String)] = [(".", "")]
        // Open elements a condition chooses among, with the values met inside them.
        var candidates: [(choice: Choice, depth: Int, values: [String: [String]])] = []
        func note(_ path: String, _ value: String) {
            keep(path, value)
            for index in candidates.indices {
                let prefix = candidates[index].choice.base + "/"
                guard path.hasPrefix(prefix) else { continue }
                candidates[index].values[String(path.dropFirst(prefix.count)), default: []].append(value)
            }
        }
        func gathered(_ path: String) -> Bool {
            wanted.contains(path) || candidates.contains { path.hasPrefix($0.choice.base + "/") }
        }
        while let event = try reader.next() {
            switch event {
            case .start(let child):
                let parent = stack[stack.count - 1].path
                let path = parent == "." ? child.name : parent + "/" + child.name
                for choice in choices where choice.base == path { candidates.append((choice, stack.count, [:])) }
                for attribute in child.attributes { note(path + "/@" + attribute.name, attribute.value) }
                stack.append((path, ""))
            case .text(let text):
                // Only texts someone reads are gathered (a record's whole content can be large).
                if gathered(stack[stack.count - 1].path) { stack[stack.count - 1].text += text }
            case .end:
                let closed = stack.removeLast()
                note(closed.path, closed.text.trimmingCharacters(in: .whitespacesAndNewlines))
                while let last = candidates.last, last.depth == stack.count {
                    candidates.removeLast()
                    if last.values[last.choice.key]?.first == last.choice.value {
                        for value in last.values[last.choice.rest] ?? [] { keep(last.choice.path, value) }
                    }
                }
                if stack.isEmpty { return record }
            }
        }
        return record
    }
}
