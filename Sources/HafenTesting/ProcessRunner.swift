import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion and captures what it printed.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

public enum ProcessRunner {
    /// Runs `executable` and returns what it printed. A child still running after `timeout`
    /// seconds is killed, and the result says so in its `stderr`, so a stuck program fails its
    /// test instead of stopping the whole run.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil,
        environment: [String: String] = [:], timeout: Double = 300
    ) throws -> ProcessResult {
        let child = try ChildProcess([executable] + arguments, in: directory, environment: environment, stdout: .pipe, stderr: .pipe)
        let deadline = Date().addingTimeInterval(timeout)
        var output = PipeDrain(child.stdoutPipe!), errors = PipeDrain(child.stderrPipe!)
        var killed = false
        var endedAt: Date?
        while !(output.done && errors.done) {
            if endedAt == nil, !child.isRunning { endedAt = Date() }
            // A grandchild that kept the pipes open must not hold the test once the child has ended.
            if let endedAt, Date().timeIntervalSince(endedAt) > 2 { break }
            if endedAt == nil, Date() >= deadline {
                kill(child.pid, SIGKILL)
                killed = true
            }
            PipeDrain.wait(for: [output, errors], milliseconds: 50)
            output.read()
            errors.read()
        }
        let status = child.wait(until: .distantFuture) ?? 137
        var stderr = String(decoding: errors.data, as: UTF8.self)
        if killed { stderr += "\n[killed after \(Int(timeout)) s: \(executable) \(arguments.joined(separator: " "))]\n" }
        return ProcessResult(status: status, stdout: String(decoding: output.data, as: UTF8.self), stderr: stderr)
    }

    /// `python3 ../shared/tools/gen_erp_export.py KIND …` writing to `output`; returns the sidecar's defects by row.
    @discardableResult
    public static func generateExport(
        _ kind: String, rows: Int, seed: Int = 7, defects: Double = 0, to output: String
    ) throws -> [Int: String] {
        let result = try run(
            "/usr/bin/env",
            ["python3", SharedFolder.file("tools/gen_erp_export.py"), kind, "--rows", "\(rows)", "--seed", "\(seed)",
             "--defects", "\(defects)", "-o", output])
        guard result.status == 0 else { throw GeneratorFailed(message: result.stderr) }
        let sidecar = try Data(contentsOf: URL(fileURLWithPath: output + ".defects.json"))
        let json = try JSONSerialization.jsonObject(with: sidecar) as? [String: Any]
        let found = json?["defects"] as? [String: String] ?? [:]
        return Dictionary(uniqueKeysWithValues: found.map { (Int($0.key)!, $0.value) })
    }
}

public struct GeneratorFailed: Error {
    public var message: String
}

/// Reads one pipe without blocking until it reaches its end.
struct PipeDrain {
    let fd: Int32
    var data: [UInt8] = []
    var done = false

    init(_ fd: Int32) {
        self.fd = fd
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    /// Takes what is there now; marks the end when the writers have all closed.
    mutating func read() {
        guard !done else { return }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                data += buffer[0..<count]
            } else {
                if count == 0 || (errno != EAGAIN && errno != EINTR) { done = true }
                return
            }
        }
    }

    /// Sleeps until one of the pipes has something to read (or has ended), at most `milliseconds`.
    static func wait(for drains: [PipeDrain], milliseconds: Int32) {
        var fds = drains.filter { !$0.done }.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        _ = poll(&fds, nfds_t(fds.count), milliseconds)
    }
}
