import Transport
import Foundation
import Yams

extension ConfigLoader {
    private static let partnerKeys = [
        "host", "port", "user", "key", "passphrase", "password", "known_hosts", "host_key", "directory", "timeout", "connect_timeout", "keepalive",
    ]

    /// `partners: {erp: {host: …, user: …, key: file:keys/erp, known_hosts: keys/known_hosts}}`.
    static func partners(_ node: Node, reader: NodeReader, root: String) throws(ConfigError) -> [PartnerConfig] {
        guard case .mapping(let pairs) = node else { throw reader.error("partners", node, "must map partner names to their settings") }
        var partners: [PartnerConfig] = []
        for (nameNode, partnerNode) in pairs {
            guard let name = nameNode.string, name.range(of: "^[A-Za-z0-9_.-]+$", options: .regularExpression) != nil else {
                throw reader.error("partners", nameNode, "partner names may use letters, digits, '.', '-' and '_'")
            }
            partners.append(try partner(name, partnerNode, reader: reader, root: root))
        }
        return partners
    }

    private static func partner(_ name: String, _ node: Node, reader: NodeReader, root: String) throws(ConfigError) -> PartnerConfig {
        let at = "partners.\(name)"
        let map = try reader.mapping(node, key: at, known: partnerKeys)
        guard let host = try reader.string(map["host"], key: "\(at).host"), !host.isEmpty else {
            throw reader.error("\(at).host", node, "missing: the SFTP server's name or address")
        }
        let port = try reader.integer(map["port"], key: "\(at).port") ?? 22
        guard (1...65535).contains(port) else { throw reader.error("\(at).port", map["port"]!, "must be a port number (1–65535)") }
        guard let user = try reader.string(map["user"], key: "\(at).user"), !user.isEmpty else {
            throw reader.error("\(at).user", node, "missing: the user Hafen logs in as")
        }
        let login: PartnerConfig.Login
        switch (map["key"], map["password"]) {
        case (let keyNode?, nil):
            guard let text = keyNode.string, !text.hasPrefix("env:") else {
                throw reader.error("\(at).key", keyNode, "must be the private key's file, file:PATH (a key is a file; env: is not supported)")
            }
            let path = text.hasPrefix("file:") ? String(text.dropFirst(5)) : text
            var passphrase: Secret?
            if let passNode = map["passphrase"] {
                guard let passText = passNode.string, let secret = Secret(reference: passText) else {
                    throw reader.error("\(at).passphrase", passNode, "must say where the passphrase is kept, env:NAME or file:PATH (never the passphrase itself)")
                }
                passphrase = secret
            }
            login = .key(path: path.hasPrefix("/") ? path : root + "/" + path, passphrase: passphrase)
        case (nil, let passwordNode?):
            guard let text = passwordNode.string, let secret = Secret(reference: text) else {
                throw reader.error("\(at).password", passwordNode, "must say where the password is kept, env:NAME or file:PATH (never the password itself)")
            }
            if let passNode = map["passphrase"] { throw reader.error("\(at).passphrase", passNode, "belongs to a key login") }
            login = .password(secret)
        case (_?, let passwordNode?):
            throw reader.error("\(at).password", passwordNode, "use either key or password, not both")
        case (nil, nil):
            throw reader.error("\(at).key", node, "missing: how Hafen logs in, key: file:PATH (a private key) or password: env:NAME")
        }
        let hostKey: PartnerConfig.HostKey
        switch (map["known_hosts"], map["host_key"]) {
        case (let node?, nil):
            guard let path = node.string, !path.isEmpty else { throw reader.error("\(at).known_hosts", node, "must be the path of a known_hosts file") }
            hostKey = .knownHosts(path.hasPrefix("/") ? path : root + "/" + path)
        case (nil, let node?):
            guard let text = node.string, text.hasPrefix("SHA256:"), text.count > 20 else {
                throw reader.error("\(at).host_key", node, "must be the host key's fingerprint as ssh-keygen -l shows it, SHA256:…")
            }
            hostKey = .fingerprint(text)
        case (_?, let node?):
            throw reader.error("\(at).host_key", node, "use either known_hosts or host_key, not both")
        case (nil, nil):
            let address = port == 22 ? host : "-p \(port) \(host)"
            throw reader.error(
                "\(at).known_hosts", node,
                "missing: which host key to trust, known_hosts: PATH or host_key: SHA256:… (ssh-keyscan \(address) | ssh-keygen -lf - shows it; check it with the partner)")
        }
        let directory = try reader.string(map["directory"], key: "\(at).directory") ?? ""
        if !directory.isEmpty {
            let relative = directory.hasPrefix("/") ? String(directory.drop(while: { $0 == "/" })) : directory
            if !relative.isEmpty, let problem = RemotePath.problem(withRelative: relative.hasSuffix("/") ? String(relative.dropLast()) : relative) {
                throw reader.error("\(at).directory", map["directory"]!, "\"\(directory)\" \(problem)")
            }
        }
        func seconds(_ key: String, default value: Duration) throws(ConfigError) -> Duration {
            let duration = try reader.duration(map[key], key: "\(at).\(key)") ?? value
            guard duration >= .seconds(1) else { throw reader.error("\(at).\(key)", map[key]!, "must be at least 1s") }
            return duration
        }
        return PartnerConfig(
            name: name, host: host, port: port, user: user, login: login, hostKey: hostKey, directory: directory,
            connectTimeout: try seconds("connect_timeout", default: .seconds(15)), timeout: try seconds("timeout", default: .seconds(30)),
            keepalive: try seconds("keepalive", default: .seconds(30)))
    }

    /// An `sftp://partner/…` location of a flow or export, checked against the partners.
    static func remoteLocation(_ text: String, key: String, node: Node, partners: [PartnerConfig], reader: NodeReader) throws(ConfigError) -> RemoteLocation? {
        let location: RemoteLocation?
        do {
            location = try RemoteLocation.parse(text)
        } catch {
            throw reader.error(key, node, error.description)
        }
        guard let location else { return nil }
        guard partners.contains(where: { $0.name == location.partner }) else {
            let hint = reader.closest(to: location.partner, in: partners.map(\.name)).map { "; did you mean \($0)?" } ?? ""
            throw reader.error(key, node, "no partner \"\(location.partner)\" under partners:\(hint)")
        }
        return location
    }
}
