import Yams

/// Reads typed values out of YAML nodes, with errors that carry the key and the node's line.
struct NodeReader {
    let file: String

    func error(_ key: String, _ node: Node, _ message: String) -> ConfigError {
        ConfigError(file: file, key: key, line: node.mark?.line, message: message)
    }

    /// A mapping whose keys are all known; an unknown key is an error with a suggestion.
    func mapping(_ node: Node, key: String, known: [String]) throws(ConfigError) -> [String: Node] {
        guard case .mapping(let mapping) = node else { throw error(key, node, "must be a mapping of settings") }
        var result: [String: Node] = [:]
        for (k, v) in mapping {
            guard let name = k.string else { throw error(key, k, "keys must be text") }
            let full = key.isEmpty ? name : "\(key).\(name)"
            guard known.contains(name) else {
                let hint = closest(to: name, in: known)
                throw error(full, k, "unknown setting" + (hint.map { "; did you mean \($0)?" } ?? " (known: \(known.joined(separator: ", ")))"))
            }
            guard result[name] == nil else { throw error(full, k, "given twice") }
            result[name] = v
        }
        return result
    }

    func string(_ node: Node?, key: String) throws(ConfigError) -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node else { throw error(key, node, "must be a single value") }
        return scalar.string
    }

    func strings(_ node: Node, key: String) throws(ConfigError) -> [String] {
        guard case .sequence(let items) = node else { throw error(key, node, "must be a list") }
        return try items.map { (item: Node) throws(ConfigError) -> String in
            guard let s = item.string else { throw error(key, item, "must be a list of text values") }
            return s
        }
    }

    func integer(_ node: Node?, key: String) throws(ConfigError) -> Int? {
        guard let node else { return nil }
        guard let value = node.int else { throw error(key, node, "must be a whole number") }
        return value
    }

    /// `2s`, `500ms`, `1m`, `1h`, or a plain number of seconds.
    func duration(_ node: Node?, key: String) throws(ConfigError) -> Duration? {
        guard let node else { return nil }
        guard let text = node.string?.trimmingCharacters(in: .whitespaces).lowercased() else {
            throw error(key, node, "must be a duration such as 2s, 500ms or 1m")
        }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let number = Double(text.dropLast(suffix.count)), number >= 0 { return .milliseconds(Int64(number * factor * 1000)) }
        }
        if let number = Double(text), number >= 0 { return .milliseconds(Int64(number * 1000)) }
        throw error(key, node, "must be a duration such as 2s, 500ms or 1m")
    }

    /// `512MB`, `1GB`, `64KiB`, or a number of bytes.
    func size(_ node: Node?, key: String) throws(ConfigError) -> Int64? {
        guard let node else { return nil }
        guard let text = node.string?.replacingOccurrences(of: " ", with: "").uppercased() else {
            throw error(key, node, "must be a size such as 512MB")
        }
        let units: [(String, Int64)] = [("KIB", 1024), ("MIB", 1 << 20), ("GIB", 1 << 30), ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let number = Double(text.dropLast(suffix.count)), number >= 0 { return Int64(number * Double(factor)) }
        }
        if let number = Int64(text), number >= 0 { return number }
        throw error(key, node, "must be a size such as 512MB")
    }

    /// The known name a typo most likely meant (at most two edits away), for "did you mean".
    func closest(to name: String, in known: [String]) -> String? {
        known.min { distance($0, name) < distance($1, name) }.flatMap { distance($0, name) <= 2 ? $0 : nil }
    }

    private func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}

import Foundation
