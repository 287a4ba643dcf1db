#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Wakes the gateway when files appear in watched directories (inotify), so it need not wait for
/// the next rescan. Only a hint: the periodic rescan still finds what inotify cannot see (files
/// copied in while the daemon was down, network filesystems).
public final class DirectoryWatcher: Sendable {
    private let fd: Int32
    private let signal: WakeSignal
    private let stopPipe: (read: Int32, write: Int32)

    /// Watches `directories` (missing ones are skipped) and pokes `signal` on every change.
    public init(directories: [String], signal: WakeSignal) {
        self.signal = signal
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        var fds: [Int32] = [0, 0]
        pipe(&fds)
        stopPipe = (fds[0], fds[1])
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ATTRIB)
        if fd >= 0 {
            for dir in directories { _ = inotify_add_watch(fd, dir, mask) }
        }
        let fd = self.fd, stop = stopPipe.read, signal = self.signal
        let thread = Thread { DirectoryWatcher.loop(fd: fd, stop: stop, signal: signal) }
        thread.start()
    }

    /// Whether inotify is available here (otherwise only rescans find files).
    public var isActive: Bool { fd >= 0 }

    public func stop() {
        var byte: UInt8 = 1
        _ = write(stopPipe.write, &byte, 1)
    }

    deinit {
        stop()
    }

    private static func loop(fd: Int32, stop: Int32, signal: WakeSignal) {
        guard fd >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: stop, events: Int16(POLLIN), revents: 0)]
            let n = poll(&fds, 2, -1)
            if n < 0 && errno == EINTR { continue }
            if n < 0 || fds[1].revents != 0 { break }
            if fds[0].revents != 0 {
                while read(fd, &buffer, buffer.count) > 0 {}
                signal.fire()
            }
        }
        close(fd)
        close(stop)
    }
}

import Foundation
