/// A name in a remote directory, or a remote path's attributes, as the server reports them.
public struct SFTPEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case file, directory, symlink, other
    }

    /// The name within its directory (raw bytes made a string; see `nameBytes` for odd names).
    public var name: String
    public var nameBytes: [UInt8]
    public var kind: Kind
    public var size: Int64
    /// Seconds since 1970, as the server reports it (whole seconds in SFTP v3).
    public var modified: Int64
    public var permissions: UInt32

    public init(name: String, nameBytes: [UInt8], kind: Kind, size: Int64, modified: Int64, permissions: UInt32) {
        self.name = name
        self.nameBytes = nameBytes
        self.kind = kind
        self.size = size
        self.modified = modified
        self.permissions = permissions
    }
}
