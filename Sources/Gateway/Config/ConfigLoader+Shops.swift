import Foundation
import Yams

extension ConfigLoader {
    /// `shops: {main: {platform: shopify, store: …, api_version: 2026-07, token: env:NAME, writes: enabled}}`.
    static func shops(_ node: Node, reader: NodeReader) throws(ConfigError) -> [ShopConfig] {
        guard case .mapping(let pairs) = node else { throw reader.error("shops", node, "must map shop names to their settings") }
        var shops: [ShopConfig] = []
        for (nameNode, shopNode) in pairs {
            guard let name = nameNode.string, name.range(of: "^[A-Za-z0-9_-]+$", options: .regularExpression) != nil else {
                throw reader.error("shops", nameNode, "shop names may use letters, digits, '-' and '_'")
            }
            let at = "shops.\(name)"
            let map = try reader.mapping(shopNode, key: at, known: ["platform", "store", "api_version", "token", "writes", "bulk_threshold", "timeout", "webhook_secret"])
            let platformText = try reader.string(map["platform"], key: "\(at).platform") ?? "shopify"
            guard let platform = ShopConfig.Platform(rawValue: platformText) else {
                throw reader.error("\(at).platform", map["platform"]!, "must be shopify (more shops later)")
            }
            guard let store = try reader.string(map["store"], key: "\(at).store") else {
                throw reader.error("\(at).store", shopNode, "missing: the shop's address, e.g. example.myshopify.com")
            }
            if let problem = Self.storeProblem(store) { throw reader.error("\(at).store", map["store"]!, problem) }
            let version = try reader.string(map["api_version"], key: "\(at).api_version") ?? "2026-07"
            guard version.range(of: "^[0-9]{4}-(01|04|07|10)$", options: .regularExpression) != nil else {
                throw reader.error("\(at).api_version", map["api_version"]!, "must be a Shopify API version such as 2026-07")
            }
            guard let tokenNode = map["token"], let tokenText = tokenNode.string else {
                throw reader.error("\(at).token", shopNode, "missing: where the access token is, env:NAME or file:PATH")
            }
            guard let token = Secret(reference: tokenText) else {
                // The value is not repeated in the message: it may be the token itself.
                throw reader.error("\(at).token", tokenNode, "must say where the token is kept, env:NAME or file:PATH (never the token itself)")
            }
            let writes = try reader.string(map["writes"], key: "\(at).writes") ?? "enabled"
            guard writes == "enabled" || writes == "blocked" else {
                throw reader.error("\(at).writes", map["writes"]!, "must be enabled or blocked (blocked stops all writes; reads go on)")
            }
            var bulkThreshold = 100
            if let node = map["bulk_threshold"] {
                guard let text = node.string, let number = Int(text), number >= 0 else {
                    throw reader.error("\(at).bulk_threshold", node, "must be a whole number of products (0: always bulk)")
                }
                bulkThreshold = number
            }
            let timeout = try reader.duration(map["timeout"], key: "\(at).timeout") ?? .seconds(60)
            guard timeout >= .seconds(1) else { throw reader.error("\(at).timeout", map["timeout"]!, "must be at least 1s") }
            var webhookSecret: Secret?
            if let secretNode = map["webhook_secret"] {
                guard let text = secretNode.string, let secret = Secret(reference: text) else {
                    throw reader.error("\(at).webhook_secret", secretNode, "must say where the app's secret is kept, env:NAME or file:PATH (never the secret itself)")
                }
                webhookSecret = secret
            }
            shops.append(ShopConfig(
                name: name, platform: platform, store: store, apiVersion: version, token: token, writesEnabled: writes == "enabled",
                bulkThreshold: bulkThreshold, timeout: timeout, webhookSecret: webhookSecret))
        }
        return shops
    }

    /// Why a shop's address cannot be used, or nil: a host name (spoken to over HTTPS), an
    /// `https://` address, or `http://` to this machine only (the simulator), since the access
    /// token travels in every request's header.
    static func storeProblem(_ store: String) -> String? {
        let example = "e.g. example.myshopify.com"
        guard let schemeEnd = store.range(of: "://") else {
            return hostProblem(store).map { "\($0); give the shop's host name, \(example)" }
        }
        let scheme = store[..<schemeEnd.lowerBound].lowercased()
        var rest = store[schemeEnd.upperBound...]
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard scheme == "https" || scheme == "http" else {
            return "\(scheme):// is not a shop address; give the host name (\(example)) or an https:// address"
        }
        if let problem = hostProblem(String(rest)) { return problem }
        if scheme == "http" && !isLoopback(String(rest)) {
            return "http:// would send the access token in clear text; use https:// (plain http is only for a shop on this machine, such as the simulator)"
        }
        return nil
    }

    /// Host names with an optional port, as `host`, `host:port`, `[::1]:port`.
    private static func hostProblem(_ text: String) -> String? {
        guard !text.isEmpty else { return "the host name is empty" }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return "an IPv6 address must end with ]" }
            let after = text[text.index(after: close)...]
            guard after.isEmpty || (after.hasPrefix(":") && UInt16(after.dropFirst()) != nil) else { return "the port must be a number" }
            return nil
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return "\"\(text)\" is not a host name" }
        if parts.count == 2 && UInt16(parts[1]) == nil { return "the port must be a number" }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
        guard !parts[0].isEmpty, parts[0].allSatisfy(allowed.contains) else {
            return "\"\(text)\" is not a host name (only letters, digits, dots and hyphens, and no path)"
        }
        return nil
    }

    private static func isLoopback(_ hostAndPort: String) -> Bool {
        let host: Substring
        if hostAndPort.hasPrefix("["), let close = hostAndPort.firstIndex(of: "]") {
            host = hostAndPort[hostAndPort.index(after: hostAndPort.startIndex)..<close]
            return host == "::1"
        }
        host = hostAndPort.split(separator: ":", omittingEmptySubsequences: false)[0]
        return host.lowercased() == "localhost" || host.hasPrefix("127.")
    }

    /// A flow's `shops: [a, b]` (its node, if given); a flow with a mapping and no list pushes to
    /// the only shop, if there is exactly one.
    static func flowShops(_ listNode: Node?, flow: String, mapped: Bool, shops: [ShopConfig], reader: NodeReader) throws(ConfigError) -> [String] {
        guard let listNode else { return mapped && shops.count == 1 ? [shops[0].name] : [] }
        let key = "flows.\(flow).shops"
        let names: [String]
        if let one = listNode.string { names = [one] } else { names = try reader.strings(listNode, key: key) }
        for name in names where !shops.contains(where: { $0.name == name }) {
            let hint = reader.closest(to: name, in: shops.map(\.name)).map { "; did you mean \($0)?" } ?? ""
            throw reader.error(key, listNode, "no shop \"\(name)\" under shops:\(hint)")
        }
        guard mapped || names.isEmpty else { throw reader.error(key, listNode, "a flow needs a map: section to push to shops") }
        return names
    }
}
