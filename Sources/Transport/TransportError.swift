#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure moving or reading files, with the system's reason and whether retrying may help.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        case io, refused, changed
    }

    public var kind: Kind
    public var path: String
    public var errno: Int32?
    public var message: String

    public init(_ kind: Kind, path: String, errno: Int32? = nil, _ message: String) {
        self.kind = kind
        self.path = path
        self.errno = errno
        self.message = message
    }

    /// Disk full, I/O errors and interruptions are worth another try later.
    public var isTransient: Bool {
        guard let errno else { return kind == .changed }
        return [ENOSPC, EIO, EAGAIN, EINTR, EBUSY, EMFILE, ENFILE].contains(errno)
    }

    public var description: String {
        var text = "\(path): \(message)"
        if let errno { text += " (\(String(cString: strerror(errno))))" }
        return text
    }
}
