#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only file descriptor as a `ByteSource`; closes the descriptor when released.
public final class FileInput: ByteSource {
    public let descriptor: Int32
    public let path: String

    /// Opens `path` read-only. `followSymlinks: false` refuses a link at the last component.
    public init(path: String, followSymlinks: Bool = true) throws(FileInputError) {
        var flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK
        if !followSymlinks { flags |= O_NOFOLLOW }
        let fd = open(path, flags)
        guard fd >= 0 else { throw FileInputError(path: path, errno: errno, action: "open") }
        self.descriptor = fd
        self.path = path
    }

    /// Takes ownership of an already open descriptor.
    public init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close(descriptor) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw FileInputError(path: path, errno: errno, action: "read")
        }
    }
}

/// An I/O failure opening or reading a file, with the system's reason.
public struct FileInputError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var errno: Int32
    public var action: String

    public init(path: String, errno: Int32, action: String) {
        self.path = path
        self.errno = errno
        self.action = action
    }

    public var description: String {
        "cannot \(action) \(path): \(String(cString: strerror(errno)))"
    }
}
