import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which files some process still holds open for writing, read from `/proc`: an ERP that pauses
/// longer than `settle` with its export still open is not done, and a file claimed then would
/// go on growing in the archive. It sees every process when Hafen runs as root and the
/// processes of its own user otherwise; where `/proc` is missing, nothing is held.
public enum OpenWriters {
    /// Of `paths` (absolute), those some process other than `excluded` has open for writing,
    /// each with one such pid.
    public static func holders(of paths: Set<String>, excluding excluded: Int32? = nil) -> [String: Int32] {
        guard !paths.isEmpty, let proc = opendir("/proc") else { return [:] }
        defer { closedir(proc) }
        var found: [String: Int32] = [:]
        while let item = readdir(proc) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = Int32(name), pid != excluded else { continue }
            scan(pid: pid, for: paths, into: &found)
            if found.count == paths.count { break }
        }
        return found
    }

    private static func scan(pid: Int32, for paths: Set<String>, into found: inout [String: Int32]) {
        let fdDirectory = "/proc/\(pid)/fd"
        guard let fds = opendir(fdDirectory) else { return }  // gone, or another user's
        defer { closedir(fds) }
        var target = [CChar](repeating: 0, count: 4097)
        while let item = readdir(fds) {
            let fd = withUnsafeBytes(of: item.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard Int(fd) != nil else { continue }
            let length = readlink(fdDirectory + "/" + fd, &target, 4096)
            guard length > 0 else { continue }
            let path = String(decoding: target[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard paths.contains(path), found[path] == nil, isOpenForWriting(pid: pid, fd: fd) else { continue }
            found[path] = pid
        }
    }

    /// `flags:` in `/proc/PID/fdinfo/FD` is octal; its access mode is write-only or read-write.
    private static func isOpenForWriting(pid: Int32, fd: String) -> Bool {
        guard let file = fopen("/proc/\(pid)/fdinfo/\(fd)", "r") else { return false }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, 256, file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard text.hasPrefix("flags:") else { continue }
            let digits = text.dropFirst("flags:".count).trimmingWhitespace()
            guard let flags = Int(digits, radix: 8) else { return false }
            let mode = Int32(flags) & O_ACCMODE
            return mode == O_WRONLY || mode == O_RDWR
        }
        return false
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var text = self
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return text
    }
}

extension OpenWriters {
    /// The processes other than this one that hold `path` open for writing, as `pid 123 (sqlite3)`.
    public static func describeHolders(of path: String) -> [String] {
        holders(of: [path], excluding: getpid()).values.sorted().map { pid in
            let command = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            return "pid \(pid) (\(command))"
        }
    }
}
