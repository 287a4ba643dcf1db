/// Where and how to reach one SFTP server: address, user, how to log in, which host key to
/// trust, and how long to wait.
public struct SFTPEndpoint: Sendable, Equatable {
    /// How the user logs in. Secrets are passed in resolved; this type never prints them.
    public enum Authentication: Sendable, Equatable {
        /// A private key file (OpenSSH format, ed25519 or RSA), with its passphrase if it has one.
        case key(path: String, passphrase: String?)
        case password(String)
    }

    /// Which host key is trusted.
    public enum HostKeyPolicy: Sendable, Equatable {
        /// Entries of an OpenSSH `known_hosts` file (plain or hashed host names).
        case knownHosts(path: String)
        /// One key, by its SHA-256 fingerprint as OpenSSH shows it (`SHA256:…`).
        case fingerprint(String)
    }

    public var host: String
    public var port: Int
    public var user: String
    public var authentication: Authentication
    public var hostKey: HostKeyPolicy
    /// For the TCP connection and the SSH handshake.
    public var connectTimeout: Duration
    /// For every later step: a stalled connection fails after this long instead of hanging.
    public var timeout: Duration
    /// How often an idle connection sends a keepalive.
    public var keepalive: Duration

    public init(
        host: String, port: Int = 22, user: String, authentication: Authentication, hostKey: HostKeyPolicy,
        connectTimeout: Duration = .seconds(15), timeout: Duration = .seconds(30), keepalive: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.authentication = authentication
        self.hostKey = hostKey
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.keepalive = keepalive
    }

    /// `user@host:port`, for messages.
    public var address: String { "\(user)@\(host):\(port)" }

    /// How known_hosts names this server: `host` on port 22, `[host]:port` otherwise.
    public var knownHostsName: String { port == 22 ? host : "[\(host)]:\(port)" }
}

extension SFTPEndpoint.Authentication: CustomStringConvertible {
    /// The kind of credential, never its value.
    public var description: String {
        switch self {
        case .key(let path, let passphrase): "key \(path)" + (passphrase == nil ? "" : " (with passphrase)")
        case .password: "password"
        }
    }
}
