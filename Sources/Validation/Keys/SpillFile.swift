#if canImport(Glibc)
import Glibc
#endif

/// An anonymous temporary file for spilled sort runs: created and unlinked at once, so a crash
/// leaves nothing behind; closed when released.
final class SpillFile {
    private let descriptor: Int32
    private var size = 0

    init(directory: String) throws(SpillError) {
        var template = Array((directory + "/.hafen-spill-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw SpillError(action: "create a temporary file in \(directory)", errno: errno) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Appends bytes at the end of the file.
    func append(_ bytes: UnsafeRawBufferPointer) throws(SpillError) {
        let start = size
        try transfer(bytes.count, action: "write") { done in
            pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(start + done))
        }
        size += bytes.count
    }

    /// Fills `buffer` from `offset`.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(SpillError) {
        try transfer(buffer.count, action: "read") { done in
            pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
        }
    }

    /// Repeats a partial `pread`/`pwrite` (given how much is done) until `count` bytes have moved.
    private func transfer(_ count: Int, action: String, _ step: (Int) -> Int) throws(SpillError) {
        var done = 0
        while done < count {
            let n = step(done)
            if n < 0 {
                if errno == EINTR { continue }
                throw SpillError(action: "\(action) a temporary file", errno: errno)
            }
            if n == 0 { throw SpillError(action: "\(action) a temporary file (it ended early)", errno: EIO) }
            done += n
        }
    }
}

/// A temporary spill file could not be created, written or read (disk full, permissions).
public struct SpillError: Error, Sendable, CustomStringConvertible {
    public var action: String
    public var errno: Int32

    public var description: String {
        "cannot \(action): \(String(cString: strerror(errno)))"
    }
}
