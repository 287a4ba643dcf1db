#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `.hafen/lock`: one daemon per state folder. Released when the process
/// ends, however it ends.
public final class InstanceLock: Sendable {
    private let fd: Int32

    /// Takes the lock or returns nil when another process holds it.
    public init?(path: String) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
