public import Transport

/// An SFTP partner (`partners:` in `hafen.yaml`): where its server is, how Hafen logs in, which
/// host key it trusts, and the folder its `sftp://` paths start from.
public struct PartnerConfig: Sendable {
    /// How Hafen logs in. Only references to secrets are kept here, never their values.
    public enum Login: Sendable, Equatable {
        /// A private key file (ed25519 or RSA, OpenSSH format), with where its passphrase is.
        case key(path: String, passphrase: Secret?)
        case password(Secret)
    }

    /// Which host key is trusted: lines of an OpenSSH `known_hosts` file, or one pinned key.
    public enum HostKey: Sendable, Equatable {
        case knownHosts(String)
        case fingerprint(String)
    }

    public var name: String
    public var host: String
    public var port: Int
    public var user: String
    public var login: Login
    public var hostKey: HostKey
    /// The folder on the server that `sftp://name/…` paths are below ("" = the login folder).
    public var directory: String
    public var connectTimeout: Duration
    public var timeout: Duration
    public var keepalive: Duration
}

/// A folder on a partner's server, as a flow or export names it: `sftp://erp/out/stock/*.csv`.
public struct RemoteLocation: Sendable, Equatable, CustomStringConvertible {
    public var partner: String
    /// Below the partner's folder; never absolute and never with `..` (checked when loading).
    public var directory: String
    /// Which names a flow takes (`*` when the URL names only a folder).
    public var glob: String

    public init(partner: String, directory: String, glob: String = "*") {
        self.partner = partner
        self.directory = directory
        self.glob = glob
    }

    public var description: String { "sftp://\(partner)/\(directory)" }

    /// Parses `sftp://partner/dir/*.csv`; nil if the text is not an `sftp://` URL. Throws a
    /// message when it is one but its path could escape the partner's folder.
    public static func parse(_ text: String) throws(RemotePathError) -> RemoteLocation? {
        guard text.hasPrefix("sftp://") else { return nil }
        let rest = text.dropFirst("sftp://".count)
        guard let slash = rest.firstIndex(of: "/"), slash != rest.startIndex else {
            throw RemotePathError(path: text, problem: "needs a partner and a folder, e.g. sftp://erp-partner/out/stock/*.csv")
        }
        let partner = String(rest[..<slash])
        var components = rest[rest.index(after: slash)...].split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var glob = "*"
        if let last = components.last, last.contains("*") || last.contains("?") || last.contains("[") {
            glob = last
            components.removeLast()
        }
        guard !components.isEmpty else { throw RemotePathError(path: text, problem: "names no folder below the partner's directory") }
        let directory = components.joined(separator: "/")
        if let problem = RemotePath.problem(withRelative: directory) { throw RemotePathError(path: text, problem: problem) }
        return RemoteLocation(partner: partner, directory: directory, glob: glob)
    }
}
