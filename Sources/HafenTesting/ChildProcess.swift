public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program the tests start with `posix_spawn`, waited for with `waitpid` and a deadline.
///
/// Foundation's `Process` is not used: on Linux its `waitUntilExit` can wait forever for a child
/// that has ended, which once stopped a CI run for 90 minutes. A child here gets only standard
/// input, output and error (every other descriptor of the test process is closed in it), and it
/// is killed and reaped when released, so no test leaves one behind.
public final class ChildProcess: @unchecked Sendable {
    /// Where the child's output goes.
    public enum Output: Sendable {
        case null
        /// A file, created or truncated.
        case file(String)
        /// A pipe the test reads (`ProcessRunner` drains it).
        case pipe
        /// Standard error written where standard output goes (one log, in order).
        case stdout
    }

    public let pid: Int32
    /// The read ends of `.pipe` outputs, owned by this object.
    let stdoutPipe: Int32?
    let stderrPipe: Int32?
    private let lock = NSLock()
    private var ended: Int32?

    /// Starts `arguments[0]` (a path) with the rest as its arguments.
    /// - Parameters:
    ///   - directory: the child's working directory; the test's when nil.
    ///   - environment: variables set on top of the test process's own.
    public init(
        _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
        stdout: Output = .null, stderr: Output = .null
    ) throws {
        _ = Self.brokenPipesIgnored
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        func route(_ output: Output, to target: Int32) throws -> Int32? {
            switch output {
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
                return nil
            case .file(let path):
                posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                return nil
            case .pipe:
                var ends: [Int32] = [0, 0]
                guard GNUSpawn.pipe2(&ends, O_CLOEXEC) == 0 else { throw ChildProcessFailed(message: "pipe: \(String(cString: strerror(errno)))") }
                parentEnds.append(ends[0])
                childEnds.append(ends[1])
                posix_spawn_file_actions_adddup2(&actions, ends[1], target)
                return ends[0]
            case .stdout:
                posix_spawn_file_actions_adddup2(&actions, 1, target)
                return nil
            }
        }
        let outRead: Int32?, errRead: Int32?
        do {
            outRead = try route(stdout, to: 1)
            errRead = try route(stderr, to: 2)
        } catch {
            (parentEnds + childEnds).forEach { close($0) }
            throw error
        }
        _ = GNUSpawn.addClosefrom(&actions, 3)
        if let directory { _ = GNUSpawn.addChdir(&actions, directory) }

        var variables = ProcessInfo.processInfo.environment
        for (key, value) in environment { variables[key] = value }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: Int32 = 0
        let status = posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
        childEnds.forEach { close($0) }
        guard status == 0 else {
            parentEnds.forEach { close($0) }
            throw ChildProcessFailed(message: "cannot start \(arguments[0]): \(String(cString: strerror(status)))")
        }
        self.pid = pid
        stdoutPipe = outRead
        stderrPipe = errRead
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            _ = wait(until: .distantFuture)
        }
        [stdoutPipe, stderrPipe].compactMap { $0 }.forEach { close($0) }
    }

    /// The child's status once it has ended (reaping it if it just did): its exit code, or 128
    /// plus the signal that killed it, as a shell reports it. Nil while it runs.
    public var exitStatus: Int32? {
        lock.lock()
        defer { lock.unlock() }
        if let ended { return ended }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        ended = Self.decode(status)
        return ended
    }

    public var isRunning: Bool { exitStatus == nil }

    /// Waits for the child to end, up to `deadline`; nil if it still runs then.
    public func wait(until deadline: Date) -> Int32? {
        while true {
            if let status = exitStatus { return status }
            if Date() >= deadline { return nil }
            usleep(5_000)
        }
    }

    /// Sends a signal (SIGTERM to ask it to stop).
    public func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Asks the child to stop with SIGTERM, then kills it after `grace`; returns its status.
    @discardableResult
    public func stop(grace: Double = 2) -> Int32 {
        signal(SIGTERM)
        if let status = wait(until: Date().addingTimeInterval(grace)) { return status }
        kill(pid, SIGKILL)
        return wait(until: .distantFuture) ?? 137
    }

    /// Its children's process ids (sshd's sessions), read from /proc.
    public var children: [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let child = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && Int32(fields[1]) == pid ? child : nil
        }
    }

    /// A test writing to a child or socket that has gone gets EPIPE instead of being killed by
    /// SIGPIPE (the cutting proxy and the SSH tests talk to peers that hang up).
    private static let brokenPipesIgnored: Void = {
        _ = Glibc.signal(SIGPIPE, SIG_IGN)
    }()

    private static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

/// glibc's GNU extensions that Swift's Glibc module leaves out (they sit behind `_GNU_SOURCE`):
/// looked up once by name. All three exist since glibc 2.34 (Debian 12 has 2.36).
private enum GNUSpawn {
    private static func symbol<T>(_ name: String, as type: T.Type) -> T {
        guard let address = dlsym(nil, name) else {  // nil: RTLD_DEFAULT on glibc
            fatalError("glibc has no \(name): the test helpers need glibc 2.34 or later")
        }
        return unsafeBitCast(address, to: type)
    }

    /// `pipe2(2)`: both ends created close-on-exec at once, so no other child inherits them.
    static let pipe2 = symbol("pipe2", as: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self)
    /// `posix_spawn_file_actions_addclosefrom_np(3)`: the child closes every descriptor from `from` on.
    static let addClosefrom = symbol(
        "posix_spawn_file_actions_addclosefrom_np", as: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    /// `posix_spawn_file_actions_addchdir_np(3)`: the child's working directory.
    static let addChdir = symbol(
        "posix_spawn_file_actions_addchdir_np",
        as: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
}

public struct ChildProcessFailed: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
