import Foundation
public import SFTP
#if canImport(Glibc)
import Glibc
#endif

/// A real OpenSSH server on a free loopback port, for tests: a generated host key, a throwaway
/// client key, `internal-sftp` starting in `root`. Killed with its sessions when released.
/// Needs `/usr/sbin/sshd` and `ssh-keygen` (`make test` installs openssh-server).
public final class SSHServer: @unchecked Sendable {
    public let directory: TemporaryDirectory
    public private(set) var port = 0
    /// The directory SFTP sessions start in (paths are the server's absolute ones).
    public let root: String
    public let user: String
    public let clientKey: String
    public let knownHosts: String
    public private(set) var hostKey: String
    private var sshd: ChildProcess?

    private let options: [String]

    /// - Parameter options: more `sshd_config` lines (e.g. `PubkeyAcceptedAlgorithms +ssh-rsa`
    ///   for a partner on an older OpenSSH policy).
    public init(hostKeyType: String = "ed25519", options: [String] = []) throws {
        self.options = options
        directory = try TemporaryDirectory("sshd")
        root = directory.path + "/root"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        chmod(directory.path, 0o700)
        try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        user = String(cString: getpwuid(geteuid()).pointee.pw_name)
        hostKey = directory.path + "/host_key"
        clientKey = directory.path + "/client_key"
        knownHosts = directory.path + "/known_hosts"
        try Self.keygen(type: hostKeyType, path: hostKey)
        try Self.keygen(type: "ed25519", path: clientKey)
        try FileManager.default.copyItem(atPath: clientKey + ".pub", toPath: directory.path + "/authorized_keys")
        try start()
        try trustHostKey()
    }

    deinit {
        stop()
    }

    /// The host key's fingerprint as `ssh-keygen -l` prints it (`SHA256:…`).
    public var fingerprint: String {
        get throws {
            let output = try Self.run("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", hostKey + ".pub"])
            return output.split(separator: " ").first { $0.hasPrefix("SHA256:") }.map(String.init) ?? ""
        }
    }

    /// An endpoint that logs in with the client key and trusts `knownHosts`.
    public func endpoint(
        authentication: SFTPEndpoint.Authentication? = nil, hostKey: SFTPEndpoint.HostKeyPolicy? = nil, timeout: Duration = .seconds(10)
    ) -> SFTPEndpoint {
        SFTPEndpoint(
            host: "127.0.0.1", port: port, user: user, authentication: authentication ?? .key(path: clientKey, passphrase: nil),
            hostKey: hostKey ?? .knownHosts(path: knownHosts), connectTimeout: timeout, timeout: timeout)
    }

    /// Writes the current host key into `knownHosts` as the only entry for this server.
    public func trustHostKey() throws {
        let key = try String(contentsOfFile: hostKey + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        try "[127.0.0.1]:\(port) \(key)\n".write(toFile: knownHosts, atomically: true, encoding: .utf8)
    }

    /// Lets another key log in too (a second user key, an RSA key with a passphrase).
    public func authorize(publicKey path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.path + "/authorized_keys"))
        handle.seekToEndOfFile()
        handle.write(try Data(contentsOf: URL(fileURLWithPath: path)))
        try handle.close()
    }

    /// Makes a new key pair (`type`: ed25519, rsa) and returns the private key's path.
    public func makeKey(_ name: String, type: String = "ed25519", passphrase: String = "") throws -> String {
        let path = directory.path + "/" + name
        try Self.keygen(type: type, path: path, passphrase: passphrase)
        return path
    }

    /// Replaces the host key with a new one and restarts on the same port (known_hosts is left
    /// as it was, so clients see a changed key).
    public func rotateHostKey() throws {
        stop()
        try? FileManager.default.removeItem(atPath: hostKey)
        try? FileManager.default.removeItem(atPath: hostKey + ".pub")
        try Self.keygen(type: "ed25519", path: hostKey)
        try start(port: port)
    }

    /// Kills the sessions' processes (every open connection drops) but keeps listening.
    public func dropConnections() {
        for child in sshd?.children ?? [] { kill(child, SIGKILL) }
    }

    /// Stops listening and drops every connection.
    public func stop() {
        guard let sshd else { return }
        dropConnections()
        kill(sshd.pid, SIGKILL)
        _ = sshd.wait(until: .distantFuture)
        self.sshd = nil
    }

    /// Listens again (on the same port when it had one).
    public func start(port wanted: Int? = nil) throws {
        var lastLog = ""
        for _ in 0..<5 {
            let candidate = wanted ?? DaemonProcess.freePort()
            let config = directory.path + "/sshd_config"
            try """
                ListenAddress 127.0.0.1
                Port \(candidate)
                HostKey \(hostKey)
                PidFile \(directory.path)/sshd.pid
                AuthorizedKeysFile \(directory.path)/authorized_keys
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM no
                PermitRootLogin prohibit-password
                AllowUsers \(user)
                StrictModes no
                AllowTcpForwarding no
                X11Forwarding no
                PermitTTY no
                Subsystem sftp internal-sftp
                ForceCommand internal-sftp -d \(root)
                \(options.joined(separator: "\n"))

                """.write(toFile: config, atomically: true, encoding: .utf8)
            let log = directory.path + "/sshd.log"
            let sshd = try ChildProcess(["/usr/sbin/sshd", "-D", "-e", "-f", config], stderr: .file(log))
            self.sshd = sshd
            if Self.waitForListener(port: candidate, while: { sshd.isRunning }) {
                port = candidate
                return
            }
            lastLog = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            stop()
        }
        throw SSHServerFailed(message: "sshd did not start: \(lastLog)")
    }

    private static func waitForListener(port: Int, while alive: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, alive() {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if connected == 0 { return true }
            usleep(20_000)
        }
        return false
    }

    private static func keygen(type: String, path: String, passphrase: String = "") throws {
        var arguments = ["-q", "-t", type, "-N", passphrase, "-f", path, "-C", "hafen-test"]
        if type == "rsa" { arguments += ["-b", "3072"] }
        _ = try run("/usr/bin/ssh-keygen", arguments)
    }

    @discardableResult
    public static func run(_ tool: String, _ arguments: [String]) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            throw SSHServerFailed(message: "\(tool) is missing: make test installs openssh-server and openssh-client")
        }
        let result = try ProcessRunner.run(tool, arguments)
        guard result.status == 0 else { throw SSHServerFailed(message: "\(tool) \(arguments.joined(separator: " ")): \(result.stderr)") }
        return result.stdout
    }
}

public struct SSHServerFailed: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
