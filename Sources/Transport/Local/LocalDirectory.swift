#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A local directory as a source of files: lists entries without following links, and claims a
/// file by renaming it into a work area on the same filesystem (one winner, even across
/// processes), or, for an inbox on another filesystem, by a copy that is on disk before the
/// original is removed (`FileMove`).
public struct LocalDirectory: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Every entry except `.` and `..`, with `lstat` facts. A missing directory lists as empty.
    public func list() throws(TransportError) -> [InboxEntry] {
        guard let dir = opendir(path) else {
            if errno == ENOENT { return [] }
            throw TransportError(.io, path: path, errno: errno, "cannot list the directory")
        }
        defer { closedir(dir) }
        let dirFD = dirfd(dir)
        var entries: [InboxEntry] = []
        while let item = readdir(dir) {
            let nameBytes: [UInt8] = withUnsafeBytes(of: item.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if nameBytes == [0x2E] || nameBytes == [0x2E, 0x2E] { continue }
            var info = stat()
            let ok = nameBytes.withUnsafeBufferPointer { buf in
                (buf.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { cname in
                    fstatat(dirFD, cname.baseAddress!, &info, AT_SYMLINK_NOFOLLOW) == 0
                }
            }
            guard ok else { continue }  // vanished between readdir and stat
            let mode = info.st_mode & S_IFMT
            let kind: InboxEntry.Kind = mode == S_IFREG ? .regular : mode == S_IFLNK ? .symlink : mode == S_IFDIR ? .directory : .other
            entries.append(InboxEntry(
                nameBytes: nameBytes, kind: kind, size: Int64(info.st_size),
                modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
        }
        return entries.sorted { $0.nameBytes.lexicographicallyPrecedes($1.nameBytes) }
    }

    /// Moves `entry` to `destination` with `rename(2)`. Returns false if someone else took it first.
    public func claim(_ entry: InboxEntry, to destination: String) throws(TransportError) -> Bool {
        let source = fullPath(entry.nameBytes)
        let result = source.withUnsafeBufferPointer { src in rename(src.baseAddress!, destination) }
        if result == 0 {
            LocalDirectory.syncDirectory(path)
            return true
        }
        if errno == ENOENT { return false }
        if errno == EXDEV {
            // An inbox on another filesystem (a network share): copied, then removed. One daemon
            // holds the state folder's lock, so no second claimant copies it meanwhile.
            try FileMove.move(String(decoding: source.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self), to: destination)
            return true
        }
        throw TransportError(.io, path: path + "/" + entry.name, errno: errno, "cannot move the file into the work area")
    }

    /// Whether a sibling file (e.g. a done-marker) exists.
    public func contains(_ name: String) -> Bool {
        var info = stat()
        return lstat(path + "/" + name, &info) == 0
    }

    /// Removes a sibling file such as a done-marker; a missing one is fine.
    public func remove(_ name: String) {
        unlink(path + "/" + name)
    }

    /// The NUL-terminated path of a raw name in this directory.
    func fullPath(_ nameBytes: [UInt8]) -> [CChar] {
        (Array(path.utf8) + [UInt8(ascii: "/")] + nameBytes).map { CChar(bitPattern: $0) } + [0]
    }

    /// fsync a directory so renames into or out of it survive a crash.
    public static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}
