import Formats
import Foundation
import Mapping
import Transport
import Validation
import XML
import Yams

/// Reads `hafen.yaml` into a `GatewayConfig`, checking every key and naming the line of any mistake.
public enum ConfigLoader {
    public static func load(path: String) throws(ConfigError) -> GatewayConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(file: path, key: "", line: nil, message: "cannot read the configuration (\(error.localizedDescription))")
        }
        let root = (URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path as NSString).standardizingPath
        return try parse(text, file: path, root: root)
    }

    public static func parse(_ text: String, file: String, root: String) throws(ConfigError) -> GatewayConfig {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            throw Self.duplicateKey(duplicates.first ?? "", firstLine: context.mark.line, in: text, file: file)
        } catch let error as YamlError {
            throw ConfigError(file: file, key: "", line: Self.line(of: error), message: "not valid YAML (\(Self.summary(of: error)))")
        } catch {
            throw ConfigError(file: file, key: "", line: nil, message: "not valid YAML (\(error))")
        }
        guard let node else { throw ConfigError(file: file, key: "", line: 1, message: "the configuration is empty") }
        let reader = NodeReader(file: file)
        let top = try reader.mapping(node, key: "", known: ["state", "archive", "failed", "held", "receipts", "rescan", "diagnostics_cap", "shops", "flows", "exports", "server", "partners"])
        var config = GatewayConfig(
            file: file, root: root,
            stateDirectory: try reader.string(top["state"], key: "state") ?? ".hafen",
            archiveDirectory: try reader.string(top["archive"], key: "archive") ?? "archive",
            failedDirectory: try reader.string(top["failed"], key: "failed") ?? "failed",
            receiptsDirectory: try reader.string(top["receipts"], key: "receipts") ?? "outbox/receipts",
            rescanInterval: try reader.duration(top["rescan"], key: "rescan") ?? .seconds(30),
            diagnosticCap: try reader.integer(top["diagnostics_cap"], key: "diagnostics_cap") ?? 1000,
            flows: [])
        if let held = try reader.string(top["held"], key: "held") { config.heldDirectory = held }
        if let shopsNode = top["shops"] { config.shops = try shops(shopsNode, reader: reader) }
        if let partnersNode = top["partners"] { config.partners = try partners(partnersNode, reader: reader, root: root) }
        if let serverNode = top["server"] { config.server = try server(serverNode, reader: reader) }
        if let exportsNode = top["exports"] { config.exports = try exports(exportsNode, shops: config.shops, partners: config.partners, reader: reader, root: root) }
        guard let flowsNode = top["flows"] else {
            guard config.exports.isEmpty else { return config }
            throw ConfigError(file: file, key: "flows", line: node.mark?.line, message: "no flows configured")
        }
        guard case .mapping(let flows) = flowsNode else { throw reader.error("flows", flowsNode, "must map flow names to their settings") }
        for (nameNode, flowNode) in flows {
            guard let name = nameNode.string, name.range(of: "^[A-Za-z0-9_-]+$", options: .regularExpression) != nil else {
                throw reader.error("flows", nameNode, "flow names may use letters, digits, '-' and '_'")
            }
            config.flows.append(try flow(name, flowNode, shops: config.shops, partners: config.partners, reader: reader, root: root))
            if config.exports.contains(where: { $0.name == name }) {
                throw reader.error("flows", nameNode, "\(name) is also an export's name; flows and exports need names of their own")
            }
        }
        return config
    }

    private static func flow(
        _ name: String, _ node: Node, shops: [ShopConfig], partners: [PartnerConfig], reader: NodeReader, root: String
    ) throws(ConfigError) -> FlowConfig {
        let at = "flows.\(name)"
        let map = try reader.mapping(node, key: at, known: [
            "source", "format", "schema", "dialect", "settle", "done_marker", "wait_for_writers", "max_size", "on_error", "map", "shops", "hold_if_rows_drop", "unknown_skus",
            "record", "fields", "after_pickup", "move_to", "receipts_to",
        ])
        guard let source = try reader.string(map["source"], key: "\(at).source") else {
            throw reader.error("\(at).source", node, "missing: say where files arrive, e.g. inbox/\(name)/*.csv")
        }
        let remote = try remoteLocation(source, key: "\(at).source", node: map["source"]!, partners: partners, reader: reader)
        let (directory, glob) = remote.map { ("inbox/\(name)", $0.glob) } ?? splitSource(source)
        let afterPickup = try self.afterPickup(map, at: at, remote: remote, reader: reader)
        var receiptsTo: RemoteLocation?
        if let node = map["receipts_to"] {
            guard let text = node.string, let location = try remoteLocation(text, key: "\(at).receipts_to", node: node, partners: partners, reader: reader),
                location.glob == "*"
            else {
                throw reader.error("\(at).receipts_to", node, "must be a folder on a partner's server, e.g. sftp://erp-partner/in/receipts")
            }
            receiptsTo = location
        }
        let format = try reader.string(map["format"], key: "\(at).format") ?? "csv"
        guard ["csv", "xml", "soap"].contains(format) else { throw reader.error("\(at).format", map["format"]!, "must be csv, xml or soap") }
        guard let schema = try reader.string(map["schema"], key: "\(at).schema") else {
            let example = format == "csv" ? "the Table Schema file, e.g. schemas/\(name).schema.json" : "the XSD, e.g. schemas/\(name).xsd"
            throw reader.error("\(at).schema", node, "missing: name \(example)")
        }
        let schemaPath = schema.hasPrefix("/") ? schema : root + "/" + schema
        let dialect = try self.dialect(map["dialect"], at: "\(at).dialect", reader: reader)
        let flowFormat: FlowFormat
        switch format {
        case "xml", "soap":
            let settings = try xmlSettings(map, schemaPath: schemaPath, soap: format == "soap", at: at, node: node, reader: reader)
            flowFormat = format == "soap" ? .soap(settings) : .xml(settings)
        default:
            for key in ["record", "fields"] where map[key] != nil { throw reader.error("\(at).\(key)", map[key]!, "belongs to a flow with format: xml or soap") }
            do {
                let tableSchema = try TableSchema.load(path: schemaPath)
                _ = try TableValidator(schema: tableSchema, file: "")  // compiles patterns, formats, bounds
                flowFormat = .csv(CSVSettings(schema: tableSchema, dialect: dialect))
            } catch {
                throw reader.error("\(at).schema", map["schema"]!, "\(error)")
            }
        }
        let readiness: SettleTracker.Rule
        if let markers = map["done_marker"] {
            let list: [String]
            if let one = markers.string { list = [one] } else { list = try reader.strings(markers, key: "\(at).done_marker") }
            readiness = .marker(suffixes: list.map { $0.hasPrefix(".") ? $0 : "." + $0 })
            if map["settle"] != nil { throw reader.error("\(at).settle", map["settle"]!, "use either settle or done_marker, not both") }
        } else {
            readiness = .stable(try reader.duration(map["settle"], key: "\(at).settle") ?? .seconds(2))
        }
        let maxSize = try reader.size(map["max_size"], key: "\(at).max_size") ?? 1 << 30
        let policyText = try reader.string(map["on_error"], key: "\(at).on_error") ?? "reject-file"
        guard let policy = FlowConfig.ErrorPolicy(rawValue: policyText) else {
            throw reader.error("\(at).on_error", map["on_error"]!, "must be reject-file or skip-rows")
        }
        var holdIfRowsDrop: Double?
        if let drop = map["hold_if_rows_drop"] {
            let text = (drop.string ?? "").trimmingCharacters(in: .whitespaces)
            guard text.hasSuffix("%"), let percent = Double(text.dropLast()), percent > 0, percent < 100 else {
                throw reader.error("\(at).hold_if_rows_drop", drop, "must be a share such as 50% (hold a file with that many fewer rows than the last good one)")
            }
            guard map["map"] != nil else { throw reader.error("\(at).hold_if_rows_drop", drop, "only flows with a map: send anything to hold back") }
            holdIfRowsDrop = percent / 100
        }
        let unknown = try reader.string(map["unknown_skus"], key: "\(at).unknown_skus") ?? "report"
        guard unknown == "report" || unknown == "skip" else {
            throw reader.error("\(at).unknown_skus", map["unknown_skus"]!, "must be report (an error per row) or skip (counted, left out)")
        }
        let mapping = try map["map"].map { (node: Node) throws(ConfigError) -> MappingSpec in
            try Self.mapping(node, at: "\(at).map", columns: flowFormat.columns, reader: reader)
        }
        var flow = FlowConfig(name: name, directory: directory, glob: glob, format: flowFormat,
                              readiness: readiness, maxSize: maxSize, onError: policy, mapping: mapping,
                              shops: try flowShops(map["shops"], flow: name, mapped: mapping != nil, shops: shops, reader: reader),
                              holdIfRowsDrop: holdIfRowsDrop, skipUnknownSKUs: unknown == "skip", remote: remote, afterPickup: afterPickup,
                              receiptsTo: receiptsTo)
        if let node = map["wait_for_writers"] {
            guard let flag = node.bool else { throw reader.error("\(at).wait_for_writers", node, "must be true or false") }
            guard remote == nil else { throw reader.error("\(at).wait_for_writers", node, "belongs to a local inbox; a partner's server shows no writers") }
            flow.waitForWriters = flag
        }
        return flow
    }

    /// `after_pickup: keep | delete` or `move_to: FOLDER` (below the partner's directory).
    private static func afterPickup(_ map: [String: Node], at: String, remote: RemoteLocation?, reader: NodeReader) throws(ConfigError) -> FlowConfig.AfterPickup {
        if remote == nil {
            for key in ["after_pickup", "move_to", "receipts_to"] where map[key] != nil {
                throw reader.error("\(at).\(key)", map[key]!, "belongs to a flow whose source is sftp://partner/…")
            }
            return .keep
        }
        if let node = map["move_to"] {
            guard map["after_pickup"] == nil || map["after_pickup"]?.string == "move" else {
                throw reader.error("\(at).move_to", node, "use either move_to or after_pickup: keep/delete")
            }
            guard let folder = node.string, !folder.isEmpty else { throw reader.error("\(at).move_to", node, "must be a folder on the partner's server") }
            let trimmed = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
            if let problem = RemotePath.problem(withRelative: trimmed) {
                throw reader.error("\(at).move_to", node, "\"\(folder)\" \(problem)")
            }
            return .move(trimmed)
        }
        switch try reader.string(map["after_pickup"], key: "\(at).after_pickup") ?? "keep" {
        case "keep": return .keep
        case "delete": return .delete
        case "move": throw reader.error("\(at).after_pickup", map["after_pickup"]!, "move needs move_to: FOLDER")
        default: throw reader.error("\(at).after_pickup", map["after_pickup"]!, "must be keep (remembered, not taken twice), delete, or move (with move_to: FOLDER)")
        }
    }

    /// `record:` and `fields:` of an XML or SOAP flow, with its XSD compiled once here so a
    /// broken schema stops the start with its key and line. For SOAP the XSD describes the
    /// payload; Hafen adds the envelopes.
    private static func xmlSettings(
        _ map: [String: Node], schemaPath: String, soap: Bool, at: String, node: Node, reader: NodeReader
    ) throws(ConfigError) -> XMLSettings {
        let schema: XMLSchema
        do {
            schema = soap ? try XMLSchema(soapPayload: schemaPath) : try XMLSchema(path: schemaPath)
        } catch {
            throw reader.error("\(at).schema", map["schema"]!, "\(error)")
        }
        guard let record = try reader.string(map["record"], key: "\(at).record") else {
            throw reader.error("\(at).record", node, "missing: the element each record is (Artikel, or an IDoc segment such as E1MARAM)")
        }
        guard XMLWriter.isValidName(record) else { throw reader.error("\(at).record", map["record"]!, "\"\(record)\" is not an XML element name") }
        guard let fieldsNode = map["fields"], case .mapping(let pairs) = fieldsNode, !pairs.isEmpty else {
            throw reader.error("\(at).fields", map["fields"] ?? node, "missing: the record's fields, name: path (@attribute, Child, Child/@attribute, Child/Grandchild)")
        }
        var fields: [XMLSettings.Field] = []
        for (nameNode, pathNode) in pairs {
            guard let name = nameNode.string, !name.isEmpty, let path = pathNode.string, !path.isEmpty else {
                throw reader.error("\(at).fields", nameNode, "each field is name: path")
            }
            guard XMLRecordReader.isValidPath(path) else {
                throw reader.error(
                    "\(at).fields.\(name)", pathNode,
                    "\"\(path)\" is not a path below the record (@attribute, Child, Child/@attribute, Child/Grandchild, Child[Key=value]/Field, .)")
            }
            fields.append(.init(name: name, path: path))
        }
        return XMLSettings(schema: schema, record: record, fields: fields)
    }

    static func dialect(_ node: Node?, at: String, reader: NodeReader) throws(ConfigError) -> CSVDialect {
        var dialect = CSVDialect()
        guard let node else { return dialect }
        let map = try reader.mapping(node, key: at, known: ["delimiter", "quote", "escape", "header", "encoding", "line_terminator", "max_record_bytes", "trailing_delimiter"])
        if let d = map["delimiter"] {
            guard let text = d.string, let byte = CSVDialect.delimiter(named: text) else {
                throw reader.error("\(at).delimiter", d, "must be one character such as ; , | or tab, or auto")
            }
            dialect.delimiter = byte
        }
        if let q = map["quote"] {
            let text = q.string ?? ""
            if text == "none" || text.isEmpty {
                dialect.quote = nil
            } else if text.utf8.count == 1 {
                dialect.quote = text.utf8.first
            } else {
                throw reader.error("\(at).quote", q, "must be one character, or none")
            }
        }
        if let e = map["escape"] {
            guard let text = e.string, text.utf8.count == 1 else { throw reader.error("\(at).escape", e, "must be one character") }
            dialect.escape = text.utf8.first
        }
        if let h = map["header"] {
            guard let flag = h.bool else { throw reader.error("\(at).header", h, "must be true or false") }
            dialect.header = flag
        }
        if let e = map["encoding"] {
            guard let text = e.string, let encoding = TextEncoding(name: text) else {
                throw reader.error("\(at).encoding", e, "unknown encoding; use one of \(TextEncoding.acceptedNames)")
            }
            dialect.encoding = encoding
        }
        if let t = map["line_terminator"] {
            switch t.string?.uppercased() {
            case "CRLF": dialect.lineTerminator = "\r\n"
            case "LF": dialect.lineTerminator = "\n"
            default: throw reader.error("\(at).line_terminator", t, "must be CRLF or LF")
            }
        }
        if let m = map["max_record_bytes"] {
            guard let size = try reader.size(m, key: "\(at).max_record_bytes"), size > 0 else { throw reader.error("\(at).max_record_bytes", m, "must be a size") }
            dialect.maxRecordBytes = Int(size)
        }
        if let t = map["trailing_delimiter"] {
            switch t.bool.map({ $0 ? "true" : "false" }) ?? t.string {
            case "auto": dialect.trailingDelimiter = .auto
            case "true": dialect.trailingDelimiter = .always
            case "false": dialect.trailingDelimiter = .never
            default: throw reader.error("\(at).trailing_delimiter", t, "must be auto, true or false")
            }
        }
        return dialect
    }

    /// `server: {listen: 127.0.0.1:8787}` (a bare port listens on loopback).
    private static func server(_ node: Node, reader: NodeReader) throws(ConfigError) -> ServerConfig {
        let map = try reader.mapping(node, key: "server", known: ["listen", "max_connections", "request_timeout", "max_body"])
        guard let listenNode = map["listen"], let text = listenNode.string else {
            throw reader.error("server.listen", node, "missing: the address to listen on, e.g. 127.0.0.1:8787")
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let host = parts.count == 2 ? String(parts[0]) : "127.0.0.1"
        guard parts.count <= 2, let port = Int(parts.last ?? ""), (0...65535).contains(port), !host.isEmpty else {
            throw reader.error("server.listen", listenNode, "must be HOST:PORT or PORT, e.g. 127.0.0.1:8787")
        }
        var server = ServerConfig(host: host, port: port)
        if let node = map["max_connections"] {
            guard let count = node.int, (1...10_000).contains(count) else {
                throw reader.error("server.max_connections", node, "must be a whole number from 1 to 10000")
            }
            server.maxConnections = count
        }
        if let timeout = try reader.duration(map["request_timeout"], key: "server.request_timeout") {
            guard timeout >= .milliseconds(100) else { throw reader.error("server.request_timeout", map["request_timeout"]!, "must be at least 100ms") }
            server.requestTimeout = timeout
        }
        if let size = try reader.size(map["max_body"], key: "server.max_body") {
            guard size >= 1024, size <= 64 << 20 else { throw reader.error("server.max_body", map["max_body"]!, "must be from 1KiB to 64MiB") }
            server.maxBody = Int(size)
            server.bufferBudget = 32 * Int(size)
        }
        return server
    }

    /// `inbox/stock/*.csv` → (`inbox/stock`, `*.csv`); a plain directory takes every file.
    static func splitSource(_ source: String) -> (String, String) {
        let last = (source as NSString).lastPathComponent
        if last.contains("*") || last.contains("?") || last.contains("[") {
            let dir = (source as NSString).deletingLastPathComponent
            return (dir.isEmpty ? "." : dir, last)
        }
        return (source.hasSuffix("/") ? String(source.dropLast()) : source, "*")
    }

    /// A key written twice in one mapping: named with the line of its second occurrence (the one
    /// to remove or rename) and of its first, never with the file's text.
    static func duplicateKey(_ key: String, firstLine: Int, in text: String, file: String) -> ConfigError {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var second: Int?
        if firstLine >= 1, firstLine <= lines.count {
            let first = lines[firstLine - 1]
            let indent = first.prefix { $0 == " " }.count
            for number in firstLine..<lines.count {
                let line = lines[number]
                let rest = line.drop { $0 == " " }
                guard !rest.isEmpty, !rest.hasPrefix("#") else { continue }
                let lineIndent = line.count - rest.count
                if lineIndent < indent { break }
                let bare = rest.hasPrefix("- ") ? rest.dropFirst(2) : rest
                if lineIndent == indent, bare.hasPrefix(key + ":") || bare.hasPrefix("\"\(key)\":") || bare.hasPrefix("'\(key)':") {
                    second = number + 1
                    break
                }
            }
        }
        let keyText = key.count > 80 ? String(key.prefix(80)) + "…" : key
        return ConfigError(file: file, key: keyText, line: second ?? firstLine,
                           message: "the key is written twice in the same mapping (first at line \(firstLine)); keep one")
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    static func summary(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        default: "\(error)"
        }
    }
}
