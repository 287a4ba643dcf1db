import Foundation

/// Cuts an XML stream into records: every element with the record's name (`Artikel`, the IDoc
/// segment `E1MARAM`) becomes one record, and its fields are read by paths relative to it:
/// `@nummer` (an attribute), `Preis` (a child's text), `Preis/@waehrung`, `E1MAKTM/MAKTX`, `.`
/// (the record's own text). A path met several times in one record gives several values, in
/// document order.
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
    private var count = 0

    /// - Parameter paths: the relative paths the fields read (others are not kept).
    public init(reader: any XMLEventStream, record: String, paths: Set<String>) {
        self.reader = reader
        recordName = record
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
        while let event = try reader.next() {
            switch event {
            case .start(let child):
                let parent = stack[stack.count - 1].path
                let path = parent == "." ? child.name : parent + "/" + child.name
                for attribute in child.attributes { keep(path + "/@" + attribute.name, attribute.value) }
                stack.append((path, ""))
            case .text(let text):
                // Only texts someone reads are gathered (a record's whole content can be large).
                if wanted.contains(stack[stack.count - 1].path) { stack[stack.count - 1].text += text }
            case .end:
                let closed = stack.removeLast()
                keep(closed.path, closed.text.trimmingCharacters(in: .whitespacesAndNewlines))
                if stack.isEmpty { return record }
            }
        }
        return record
    }
}
