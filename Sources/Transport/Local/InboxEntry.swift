/// A name found in an inbox directory with what `lstat` said about it (links are not followed).
public struct InboxEntry: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case regular, symlink, directory, other
    }

    /// The raw name bytes (names need not be valid UTF-8).
    public var nameBytes: [UInt8]
    public var kind: Kind
    public var size: Int64
    /// Modification time in nanoseconds since the epoch.
    public var modified: Int64
    public var device: UInt64
    public var inode: UInt64

    public init(nameBytes: [UInt8], kind: Kind, size: Int64, modified: Int64, device: UInt64, inode: UInt64) {
        self.nameBytes = nameBytes
        self.kind = kind
        self.size = size
        self.modified = modified
        self.device = device
        self.inode = inode
    }

    public var name: String { FileNamePolicy.escaped(nameBytes) }

    /// Size, time and inode: if unchanged between two looks, nobody wrote in between.
    public var fingerprint: [Int64] { [size, modified, Int64(bitPattern: inode)] }
}
