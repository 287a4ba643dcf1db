import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small tmpfs mounted for one test: a folder on another filesystem (cross-device moves), one
/// that fills up (disk full), or one made read-only. Unmounted when released.
///
/// Mounting needs root (or CAP_SYS_ADMIN). Where it is impossible, `canMount` is false and tests
/// skip with a message, except under CI (`CI=true`), where they run and fail instead of hiding.
public final class ScratchMount {
    public let path: String

    /// Mounts a tmpfs of `kilobytes` at `path` (created if missing).
    public init(at path: String, kilobytes: Int = 4096) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let result = try ProcessRunner.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k,mode=0755", "tmpfs", path], timeout: 30)
        guard result.status == 0 else { throw MountFailed(message: "mount \(path): \(result.stderr)") }
        self.path = path
    }

    /// Remounts read-only, or writable again.
    public func setReadOnly(_ readOnly: Bool) throws {
        let result = try ProcessRunner.run("/bin/mount", ["-o", "remount,\(readOnly ? "ro" : "rw")", path], timeout: 30)
        guard result.status == 0 else { throw MountFailed(message: "remount \(path): \(result.stderr)") }
    }

    /// Changes the size (a full disk gets room again).
    public func resize(kilobytes: Int) throws {
        let result = try ProcessRunner.run("/bin/mount", ["-o", "remount,size=\(kilobytes)k", path], timeout: 30)
        guard result.status == 0 else { throw MountFailed(message: "remount \(path): \(result.stderr)") }
    }

    deinit {
        _ = try? ProcessRunner.run("/bin/umount", ["-l", path], timeout: 30)
    }

    /// Whether this process may mount (tried once, on a throwaway folder).
    public static let canMount: Bool = {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/bin/mount") else { return false }
        guard let dir = try? TemporaryDirectory("mount-probe") else { return false }
        return (try? ScratchMount(at: dir.file("probe"), kilobytes: 64)) != nil
    }()

    /// Where tests that mount should run: mounting works, or we are in CI (where they must run).
    public static var testsEnabled: Bool { canMount || SharedFolder.isCI }

    public static let skipMessage = "mounting a tmpfs needs root; these tests run in CI"
}

public struct MountFailed: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
