import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real `hafen run` daemon for tests: started in a folder with a configuration and extra
/// environment, stopped with SIGTERM (then SIGKILL) and reaped when released.
public final class DaemonProcess: @unchecked Sendable {
    private let process: ChildProcess
    public let logPath: String

    /// - Parameter once: `hafen run --once` instead (a run that ends by itself).
    public init(configPath: String, in directory: String, environment: [String: String] = [:], logLevel: String = "info", once: Bool = false) throws {
        logPath = directory + "/daemon.log"
        process = try ChildProcess(
            [HafenBinary.path, "run"] + (once ? ["--once"] : []) + ["-c", configPath, "--log-level", logLevel], in: directory, environment: environment,
            stdout: .file(logPath), stderr: .stdout)
    }

    deinit {
        process.stop(grace: 2)
    }

    /// The daemon's process id (for /proc: its descriptors and memory).
    public var pid: Int32 { process.pid }

    /// Kills it with SIGKILL, as a power cut or the OOM killer would, and reaps it.
    public func kill() {
        process.signal(SIGKILL)
        _ = process.wait(until: .distantFuture)
    }

    /// Sends SIGTERM and waits up to `seconds` for it to exit by itself; returns its exit status
    /// (then killed, and 137, if it did not stop in time).
    public func terminate(within seconds: Double) -> Int32 {
        process.signal(SIGTERM)
        if let status = process.wait(until: Date().addingTimeInterval(seconds)) { return status }
        process.signal(SIGKILL)
        _ = process.wait(until: .distantFuture)
        return 137
    }

    /// Sends `signal` and returns at once.
    public func send(_ signal: Int32) {
        process.signal(signal)
    }

    /// Waits up to `seconds` for it to exit by itself (a crash point, say): its exit status, or
    /// nil while it still runs.
    public func exitStatus(within seconds: Double) -> Int32? {
        process.wait(until: Date().addingTimeInterval(seconds))
    }

    /// Whether it still runs.
    public var isRunning: Bool { process.isRunning }

    /// What the daemon logged so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// A loopback port nothing listens on now (bound, read, released).
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
