import Foundation
public import SFTP
#if canImport(Glibc)
import Glibc
#endif

/// An SFTP server that logs users in by password or by keyboard-interactive prompts, for tests:
/// `password_sftp_server.py` (asyncssh, installed in `.build-venv` by `make tools`) on a free
/// loopback port with a generated ed25519 host key. OpenSSH's sshd checks passwords against the
/// machine's accounts, which tests must not touch. Killed when released.
public final class PasswordSFTPServer: @unchecked Sendable {
    /// How the server asks for the password.
    public enum Method: String, Sendable {
        case password
        case keyboardInteractive = "keyboard-interactive"
    }

    public let directory: TemporaryDirectory
    /// A directory for the test's files (paths are the server's absolute ones, as with sshd).
    public let root: String
    public let user: String
    public let password: String
    public let knownHosts: String
    public let port: Int
    private let server: ChildProcess

    public init(user: String = "erp", password: String, method: Method = .password) throws {
        self.user = user
        self.password = password
        directory = try TemporaryDirectory("sftp-password")
        root = directory.path + "/root"
        knownHosts = directory.path + "/known_hosts"
        let python = TestPython.path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw SSHServerFailed(message: "\(python) is missing: make tools installs it with asyncssh")
        }
        let script = SharedFolder.projectRoot + "/Sources/HafenTesting/password_sftp_server.py"
        let log = directory.path + "/server.log"
        let child = try ChildProcess([python, script, directory.path, user, password, method.rawValue], stderr: .file(log))
        server = child
        guard let found = PortFile.wait(directory.path + "/port", seconds: 20, while: { child.isRunning }) else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw SSHServerFailed(message: "the password SFTP server did not start: \(output)")
        }
        port = found
        let key = try String(contentsOfFile: directory.path + "/host_key.pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        try "[127.0.0.1]:\(port) \(key)\n".write(toFile: knownHosts, atomically: true, encoding: .utf8)
    }

    /// Adds a name to the listings of `folder` (an absolute path on the server) that no Linux
    /// file system can hold (over 255 bytes, say), as another server's listing could show it.
    /// It is listed as a 10-byte regular file and cannot be opened.
    public func addPhantom(named name: [UInt8], in folder: String) throws {
        let line = folder + "\t" + name.map { String(format: "%02x", $0) }.joined() + "\n"
        let path = directory.path + "/phantoms"
        let old = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        try (old + line).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// An endpoint that logs in with `password` (the right one unless given) and trusts the host key.
    public func endpoint(password given: String? = nil) -> SFTPEndpoint {
        SFTPEndpoint(
            host: "127.0.0.1", port: port, user: user, authentication: .password(given ?? password),
            hostKey: .knownHosts(path: knownHosts), connectTimeout: .seconds(10), timeout: .seconds(10))
    }
}
