public import Formats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written under a temporary name and renamed into place only when complete and on disk:
/// readers see the whole file or none of it (`temp → write → fsync → rename → fsync dir`).
public final class AtomicFile {
    public let path: String
    public let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var committed = false

    /// Opens a temporary file beside `path` (same directory, so the rename is atomic).
    public init(path: String) throws(FileInputError) {
        self.path = path
        let (dir, name) = AtomicFile.split(path)
        // The final name may be up to 255 bytes; the temporary one must fit beside it too.
        temporaryPath = dir + "/.\(FileNamePolicy.shortened(name, limit: 200)).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileInputError(path: temporaryPath, errno: errno, action: "create") }
        buffer.reserveCapacity(64 * 1024)
    }

    deinit {
        if !committed {
            if fd >= 0 { close(fd) }
            unlink(temporaryPath)
        }
    }

    public func write(_ bytes: [UInt8]) throws(FileInputError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 64 * 1024 { try flush() }
    }

    public func write(_ text: String) throws(FileInputError) {
        try write(Array(text.utf8))
    }

    private func flush() throws(FileInputError) {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileInputError(path: temporaryPath, errno: errno, action: "write")
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, fsyncs, renames into place and fsyncs the directory.
    public func commit() throws(FileInputError) {
        try flush()
        guard fsync(fd) == 0 else { throw FileInputError(path: temporaryPath, errno: errno, action: "fsync") }
        close(fd)
        fd = -1
        guard rename(temporaryPath, path) == 0 else { throw FileInputError(path: path, errno: errno, action: "rename into place") }
        committed = true
        AtomicFile.syncDirectory(of: path)
    }

    /// Flushes and fsyncs the temporary file and closes it; `place` then puts it where it belongs.
    /// Returns the file's size.
    @discardableResult
    public func finish() throws(FileInputError) -> Int64 {
        try flush()
        guard fsync(fd) == 0 else { throw FileInputError(path: temporaryPath, errno: errno, action: "fsync") }
        var info = stat()
        let size: Int64 = fstat(fd, &info) == 0 ? Int64(info.st_size) : 0
        close(fd)
        fd = -1
        return size
    }

    /// Moves the finished temporary file to `path`. Without `replacing`, an existing file there
    /// is never touched: the call fails with EEXIST instead (a hard link, then the temporary name
    /// removed, so there is no moment without either name).
    public func place(replacing: Bool) throws(FileInputError) {
        try AtomicFile.place(temporaryPath, at: path, replacing: replacing)
        committed = true
    }

    /// `place` for a temporary file left by an earlier process (recovery after a crash).
    public static func place(_ temporaryPath: String, at path: String, replacing: Bool) throws(FileInputError) {
        if replacing {
            guard rename(temporaryPath, path) == 0 else { throw FileInputError(path: path, errno: errno, action: "rename into place") }
        } else {
            guard link(temporaryPath, path) == 0 else { throw FileInputError(path: path, errno: errno, action: "put into place") }
            unlink(temporaryPath)
        }
        syncDirectory(of: path)
    }

    /// Writes `bytes` to `path` atomically in one call.
    public static func write(_ bytes: [UInt8], to path: String) throws(FileInputError) {
        let file = try AtomicFile(path: path)
        try file.write(bytes)
        try file.commit()
    }

    /// fsyncs the directory holding `path`, so a rename into it survives a power cut.
    public static func syncDirectory(of path: String) {
        let dir = split(path).directory
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            fsync(dfd)
            close(dfd)
        }
    }

    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let dir = String(path[..<slash])
        return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
    }
}
