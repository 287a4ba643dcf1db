/// A failure talking to an SFTP server: what Hafen was doing, what went wrong, and libssh2's
/// and the server's own words.
public struct SFTPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The TCP connection could not be made (refused, unreachable, name not found).
        case connect
        /// Nothing came back within the session's timeout.
        case timeout
        /// The server's host key is not the one trusted (unknown or changed).
        case hostKey
        /// The server refused the user's key or password.
        case authentication
        /// The SFTP server answered an operation with an error status (no such file, …).
        case server(status: UInt)
        /// The connection broke or the SSH protocol failed; a reconnect may help.
        case connection
        /// A local file could not be read or written.
        case local
        /// A remote path Hafen refuses (outside the directory, odd characters).
        case path
    }

    public var kind: Kind
    /// What Hafen was doing and why it failed, in plain words.
    public var message: String
    /// libssh2's error code (negative), when it reported one.
    public var code: Int32?

    public init(_ kind: Kind, _ message: String, code: Int32? = nil) {
        self.kind = kind
        self.message = message
        self.code = code
    }

    /// Whether trying again on a new connection may succeed (a dropped or stalled connection),
    /// as opposed to a refusal that will repeat (a host key, a password, a missing file).
    public var isTransient: Bool {
        switch kind {
        case .connect, .timeout, .connection: true
        case .server(let status): status == 6 || status == 7  // NO_CONNECTION, CONNECTION_LOST
        case .hostKey, .authentication, .local, .path: false
        }
    }

    /// The server's status as the SFTP protocol names it (draft-ietf-secsh-filexfer-02).
    public static func statusName(_ status: UInt) -> String {
        switch status {
        case 1: "end of file"
        case 2: "no such file"
        case 3: "permission denied"
        case 4: "failure"
        case 5: "bad message"
        case 6: "no connection"
        case 7: "connection lost"
        case 8: "operation not supported"
        case 9: "invalid handle"
        case 10: "no such path"
        case 11: "file already exists"
        case 12: "write protected"
        case 13: "no media"
        case 14: "no space on the file system"
        case 15: "quota exceeded"
        case 18: "directory not empty"
        case 19: "not a directory"
        case 20: "invalid file name"
        case 21: "link loop"
        default: "status \(status)"
        }
    }

    public var description: String { message }
}
