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
    /// The wanted paths as a tree of steps from the record (node 0): an element is looked up
    /// once among its parent's children, and an element no path goes through is passed over
    /// with everything below it.
    private var nodes: [Node] = [Node(path: ".")]
    private var choices: [Choice] = []
    private let keptCount: Int
    private var count = 0

    struct Node {
        /// The relative path, as the fields name it.
        var path: String
        /// By step: an element's local name, or `@name` for an attribute.
        var children: [String: Int] = [:]
        var hasAttributes = false
        /// A wanted path: its values go into the record.
        var kept = false
        /// Its text is gathered (kept, or read by a choice).
        var gathers = false
        /// The choices whose condition is on this element.
        var choices: [Int] = []
    }

    /// A path with a condition: `base[key=value]/rest`.
    struct Choice {
        var path: String
        var base: String
        var key: String
        var value: String
        var rest: String
        var keyNode = 0
        var restNode = 0

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
        keptCount = paths.count
        for path in paths.sorted() {
            if var choice = Choice(path) {
                let base = insert(choice.base)
                choice.keyNode = insert(choice.base + "/" + choice.key)
                choice.restNode = insert(choice.base + "/" + choice.rest)
                nodes[choice.keyNode].gathers = true
                nodes[choice.restNode].gathers = true
                nodes[base].choices.append(choices.count)
                choices.append(choice)
            } else {
                let node = insert(path)
                nodes[node].kept = true
                nodes[node].gathers = true
            }
        }
    }

    /// Whether `path` is a field path this reader understands: `.`, `@attribute`, `Child`,
    /// `Child/@attribute`, `Child/Grandchild`, with at most one step (not the last) choosing by
    /// a child's text: `E1MAKTM[SPRAS_ISO=DE]/MAKTX`.
    public static func isValidPath(_ path: String) -> Bool {
        guard path != "." else { return true }
        let steps = path.split(separator: "/", omittingEmptySubsequences: false)
        var conditions = 0
        return steps.enumerated().allSatisfy { index, step in
            if step.hasPrefix("@") { return index == steps.count - 1 && XMLWriter.isValidName(String(step.dropFirst())) }
            guard let open = step.firstIndex(of: "[") else { return XMLWriter.isValidName(String(step)) }
            conditions += 1
            let condition = step[step.index(after: open)...]
            guard conditions == 1, index < steps.count - 1, condition.hasSuffix("]"), let equals = condition.firstIndex(of: "=") else { return false }
            return XMLWriter.isValidName(String(step[..<open])) && XMLWriter.isValidName(String(condition[..<equals]))
                && condition.index(after: equals) < condition.index(before: condition.endIndex)
        }
    }

    /// The node of a relative path, made with the steps to it where missing.
    private func insert(_ path: String) -> Int {
        var node = 0
        guard path != "." else { return node }
        for step in path.split(separator: "/").map(String.init) {
            if let child = nodes[node].children[step] {
                node = child
                continue
            }
            let childPath = node == 0 ? step : nodes[node].path + "/" + step
            nodes.append(Node(path: childPath))
            nodes[node].children[step] = nodes.count - 1
            if step.hasPrefix("@") { nodes[node].hasAttributes = true }
            node = nodes.count - 1
        }
        return node
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
        var record = Record(index: count, line: element.line, path: reader.path, values: Dictionary(minimumCapacity: keptCount))
        // Choices open below the record: which, at what depth, the key's and rest's values.
        var open: [(choice: Int, depth: Int, key: [String], rest: [String])] = []
        func note(_ node: Int, _ value: String) {
            if nodes[node].kept { record.values[nodes[node].path, default: []].append(value) }
            for index in open.indices {
                if choices[open[index].choice].keyNode == node { open[index].key.append(value) }
                if choices[open[index].choice].restNode == node { open[index].rest.append(value) }
            }
        }
        func attributes(of element: XMLReader.Element, at node: Int) {
            guard nodes[node].hasAttributes else { return }
            for attribute in element.attributes {
                if let child = nodes[node].children["@" + attribute.name] { note(child, attribute.value) }
            }
        }
        attributes(of: element, at: 0)
        guard !element.isEmpty else {
            _ = try reader.next()  // its end
            note(0, "")
            return record
        }
        // The open elements below the record: their node (-1: no path goes there) and text.
        var stack: [(node: Int, text: String)] = [(0, "")]
        while let event = try reader.next() {
            switch event {
            case .start(let child):
                let parent = stack[stack.count - 1].node
                let node = parent < 0 ? -1 : nodes[parent].children[child.name] ?? -1
                if node >= 0 {
                    for choice in nodes[node].choices { open.append((choice, stack.count, [], [])) }
                    attributes(of: child, at: node)
                }
                stack.append((node, ""))
            case .text(let text):
                // Only texts someone reads are gathered (a record's whole content can be large).
                let node = stack[stack.count - 1].node
                if node >= 0, nodes[node].gathers { stack[stack.count - 1].text += text }
            case .end:
                let closed = stack.removeLast()
                if closed.node >= 0 { note(closed.node, XMLWhitespace.trimmed(closed.text)) }
                while let last = open.last, last.depth == stack.count {
                    open.removeLast()
                    let choice = choices[last.choice]
                    if last.key.first == choice.value {
                        for value in last.rest { record.values[choice.path, default: []].append(value) }
                    }
                }
                if stack.isEmpty { return record }
            }
        }
        return record
    }
}
