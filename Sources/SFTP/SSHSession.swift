internal import CLibSSH2
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One logged-in SSH connection with its SFTP channel: the owner of libssh2's pointers, used by
/// one `SFTPClient` on its own thread. Every call blocks for at most the endpoint's timeout.
final class SSHSession {
    private static let initialized: Bool = libssh2_init(0) == 0

    private let connection: TCPConnection
    private let session: OpaquePointer
    private let sftp: OpaquePointer
    private let endpoint: SFTPEndpoint
    /// Size of one read or write call: libssh2 keeps several SFTP requests in flight for a
    /// large buffer, which is what makes a transfer fast.
    static let chunk = 1 << 20

    init(endpoint: SFTPEndpoint) throws(SFTPError) {
        guard Self.initialized else { throw SFTPError(.connection, "libssh2 could not be initialised") }
        self.endpoint = endpoint
        connection = try TCPConnection(host: endpoint.host, port: endpoint.port, timeout: endpoint.connectTimeout)
        guard let session = libssh2_session_init_ex(nil, nil, nil, nil) else {
            throw SFTPError(.connection, "libssh2 could not start a session")
        }
        libssh2_session_set_blocking(session, 1)
        libssh2_session_set_timeout(session, Self.milliseconds(endpoint.connectTimeout))
        var sftpChannel: OpaquePointer?
        do throws(SFTPError) {
            guard libssh2_session_handshake(session, connection.descriptor) == 0 else {
                throw Self.failure(session, nil, "the SSH handshake with \(endpoint.host) port \(endpoint.port) failed")
            }
            try HostKeyCheck.verify(session, endpoint: endpoint)
            libssh2_session_set_timeout(session, Self.milliseconds(endpoint.timeout))
            try Self.authenticate(session, endpoint: endpoint)
            libssh2_keepalive_config(session, 1, UInt32(max(1, endpoint.keepalive.components.seconds)))
            guard let channel = libssh2_sftp_init(session) else {
                throw Self.failure(session, nil, "the server at \(endpoint.host) did not start its SFTP subsystem")
            }
            sftpChannel = channel
        } catch {
            libssh2_session_disconnect_ex(session, SSH_DISCONNECT_BY_APPLICATION, "hafen: \(error.kind)", "")
            libssh2_session_free(session)
            throw error
        }
        self.session = session
        sftp = sftpChannel!
    }

    deinit {
        libssh2_sftp_shutdown(sftp)
        libssh2_session_disconnect_ex(session, SSH_DISCONNECT_BY_APPLICATION, "hafen: done", "")
        libssh2_session_free(session)
    }

    private static func authenticate(_ session: OpaquePointer, endpoint: SFTPEndpoint) throws(SFTPError) {
        let user = endpoint.user
        let offered = libssh2_userauth_list(session, user, UInt32(user.utf8.count)).map { String(cString: $0) } ?? ""
        if libssh2_userauth_authenticated(session) == 1 { return }
        let status: Int32
        switch endpoint.authentication {
        case .key(let path, let passphrase):
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw SFTPError(.authentication, "cannot read the private key \(path) for \(endpoint.address)")
            }
            status = libssh2_userauth_publickey_fromfile_ex(session, user, UInt32(user.utf8.count), nil, path, passphrase)
        case .password(let password):
            let methods = Set(offered.split(separator: ",").map(String.init))
            if !methods.contains("password") && methods.contains("keyboard-interactive") {
                // Servers that check passwords through PAM often ask for them this way only.
                status = answerPrompts(session, user: user, password: password)
            } else {
                status = libssh2_userauth_password_ex(session, user, UInt32(user.utf8.count), password, UInt32(password.utf8.count), nil)
            }
        }
        guard status == 0 else {
            var reason = endpoint.authentication.description
            if status == LIBSSH2_ERROR_FILE { reason += " (the key file could not be read or decrypted: wrong passphrase or format?)" }
            if case .key(let path, _) = endpoint.authentication, status != LIBSSH2_ERROR_FILE, Self.isRSAKey(path) {
                // libssh2 1.10 signs with RSA only as ssh-rsa (SHA-1), which OpenSSH 8.8 and
                // later refuse unless the server allows it (libssh2 issue 634).
                reason += " (an RSA key: libssh2 1.10 can only sign it with SHA-1 (ssh-rsa), which OpenSSH 8.8 and later"
                    + " refuse by default; use an ed25519 key, or the partner allows PubkeyAcceptedAlgorithms +ssh-rsa)"
            }
            let methods = offered.isEmpty ? "" : "; the server offers: \(offered)"
            throw failure(session, nil, "\(endpoint.address) refused the login with \(reason)\(methods)", kind: .authentication)
        }
    }

    /// Logs in by keyboard-interactive, answering each hidden prompt with the password (and
    /// each visible one with nothing). The password reaches libssh2's C callback through the
    /// session's abstract pointer, set only for this call.
    private static func answerPrompts(_ session: OpaquePointer, user: String, password: String) -> Int32 {
        let box = Unmanaged.passRetained(PasswordBox(password))
        let abstract = libssh2_session_abstract(session)
        abstract?.pointee = box.toOpaque()
        defer {
            abstract?.pointee = nil
            box.release()
        }
        return libssh2_userauth_keyboard_interactive_ex(session, user, UInt32(user.utf8.count)) { _, _, _, _, count, prompts, responses, abstract in
            guard let prompts, let responses, let opaque = abstract?.pointee else { return }
            let password = Unmanaged<PasswordBox>.fromOpaque(opaque).takeUnretainedValue().value
            for index in 0..<Int(max(0, count)) {
                let answer = prompts[index].echo == 0 ? password : ""
                // libssh2 frees each answer with its allocator, the C library's free.
                responses[index].text = strdup(answer)
                responses[index].length = UInt32(answer.utf8.count)
            }
        }
    }

    /// Whether a private key is RSA: by its PEM header, or by the `.pub` beside it.
    private static func isRSAKey(_ path: String) -> Bool {
        if let head = try? String(contentsOfFile: path, encoding: .utf8), head.hasPrefix("-----BEGIN RSA PRIVATE KEY") { return true }
        let publicKey = try? String(contentsOfFile: path + ".pub", encoding: .utf8)
        return publicKey?.hasPrefix("ssh-rsa ") == true
    }

    // MARK: - Operations

    /// Sends a keepalive if one is due (an idle connection otherwise dies at a firewall).
    func keepAlive() throws(SFTPError) {
        var seconds: Int32 = 0
        guard libssh2_keepalive_send(session, &seconds) == 0 else { throw failure("the keepalive to \(endpoint.host) failed") }
    }

    func list(_ directory: String) throws(SFTPError) -> [SFTPEntry] {
        guard let handle = libssh2_sftp_open_ex(sftp, directory, UInt32(directory.utf8.count), 0, 0, LIBSSH2_SFTP_OPENDIR) else {
            throw failure("cannot list \(directory)")
        }
        defer { libssh2_sftp_close_handle(handle) }
        var entries: [SFTPEntry] = []
        var name = [CChar](repeating: 0, count: 1024)
        var attributes = LIBSSH2_SFTP_ATTRIBUTES()
        while true {
            let length = libssh2_sftp_readdir_ex(handle, &name, name.count, nil, 0, &attributes)
            if length == 0 { break }
            guard length > 0 else { throw failure("cannot list \(directory)") }
            let bytes = name[0..<Int(length)].map { UInt8(bitPattern: $0) }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
            entries.append(Self.entry(bytes, attributes))
        }
        return entries
    }

    /// The attributes of a path; a symbolic link is reported as itself (`lstat`), not followed.
    func stat(_ path: String) throws(SFTPError) -> SFTPEntry {
        var attributes = LIBSSH2_SFTP_ATTRIBUTES()
        guard libssh2_sftp_stat_ex(sftp, path, UInt32(path.utf8.count), LIBSSH2_SFTP_LSTAT, &attributes) == 0 else {
            throw failure("cannot look at \(path)")
        }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return Self.entry(Array(name.utf8), attributes)
    }

    /// Whether a path exists (false only for the server's "no such file").
    func exists(_ path: String) throws(SFTPError) -> Bool {
        do {
            _ = try stat(path)
            return true
        } catch {
            if case .server(let status) = error.kind, status == UInt(LIBSSH2_FX_NO_SUCH_FILE) || status == UInt(LIBSSH2_FX_NO_SUCH_PATH) { return false }
            throw error
        }
    }

    /// Copies the remote file into a local one, from `offset` on (the local file is cut to
    /// `offset` first, so an interrupted download continues where it stopped). Each chunk is
    /// also handed to `chunk`. Returns the local file's size afterwards.
    func download(_ remote: String, to local: String, from offset: Int64, chunk observe: (UnsafeRawBufferPointer) -> Void) throws(SFTPError) -> Int64 {
        guard let handle = libssh2_sftp_open_ex(sftp, remote, UInt32(remote.utf8.count), UInt(LIBSSH2_FXF_READ), 0, LIBSSH2_SFTP_OPENFILE) else {
            throw failure("cannot open \(remote) for reading")
        }
        defer { libssh2_sftp_close_handle(handle) }
        let fd = open(local, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SFTPError(.local, "cannot write \(local): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard ftruncate(fd, off_t(offset)) == 0, lseek(fd, off_t(offset), SEEK_SET) == off_t(offset) else {
            throw SFTPError(.local, "cannot prepare \(local): \(String(cString: strerror(errno)))")
        }
        if offset > 0 { libssh2_sftp_seek64(handle, libssh2_uint64_t(offset)) }
        var total = offset
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunk, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = libssh2_sftp_read(handle, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), buffer.count)
            if count == 0 { break }
            guard count > 0 else { throw failure("reading \(remote) stopped after \(total) bytes") }
            let piece = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            try Self.writeAll(fd, piece, to: local)
            observe(piece)
            total += Int64(count)
        }
        guard fsync(fd) == 0 else { throw SFTPError(.local, "cannot flush \(local): \(String(cString: strerror(errno)))") }
        return total
    }

    /// Copies a local file to a remote path, which must not exist yet (`exclusive`: SFTP's
    /// O_EXCL) or is replaced. With `sync`, asks the server to flush the file to its disk
    /// (`fsync@openssh.com`) where it offers that. Returns the bytes written.
    func upload(_ local: String, to remote: String, exclusive: Bool, sync: Bool) throws(SFTPError) -> Int64 {
        let fd = open(local, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SFTPError(.local, "cannot read \(local): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let flags = LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | (exclusive ? LIBSSH2_FXF_EXCL : LIBSSH2_FXF_TRUNC)
        guard let handle = libssh2_sftp_open_ex(sftp, remote, UInt32(remote.utf8.count), UInt(flags), 0o640, LIBSSH2_SFTP_OPENFILE) else {
            throw failure("cannot create \(remote)")
        }
        var open = true
        defer { if open { libssh2_sftp_close_handle(handle) } }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunk, alignment: 16)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            let count = read(fd, buffer.baseAddress, buffer.count)
            guard count >= 0 else { throw SFTPError(.local, "cannot read \(local): \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            var sent = 0
            while sent < count {
                let written = libssh2_sftp_write(handle, buffer.baseAddress!.advanced(by: sent).assumingMemoryBound(to: CChar.self), count - sent)
                guard written > 0 else { throw failure("writing \(remote) stopped after \(total + Int64(sent)) bytes") }
                sent += written
            }
            total += Int64(count)
        }
        if sync, libssh2_sftp_fsync(handle) != 0 {
            // A server without the extension answers "operation not supported": not an error.
            let status = libssh2_sftp_last_error(sftp)
            if status != UInt(LIBSSH2_FX_OP_UNSUPPORTED) { throw failure("the server could not flush \(remote) to its disk") }
        }
        open = false
        guard libssh2_sftp_close_handle(handle) == 0 else { throw failure("closing \(remote) after writing failed") }
        return total
    }

    /// Renames; the server refuses when the target exists (SFTP v3 never overwrites).
    func rename(_ from: String, to: String) throws(SFTPError) {
        let flags = LIBSSH2_SFTP_RENAME_ATOMIC | LIBSSH2_SFTP_RENAME_NATIVE
        guard libssh2_sftp_rename_ex(sftp, from, UInt32(from.utf8.count), to, UInt32(to.utf8.count), Int(flags)) == 0 else {
            throw failure("cannot rename \(from) to \(to)")
        }
    }

    func remove(_ path: String) throws(SFTPError) {
        guard libssh2_sftp_unlink_ex(sftp, path, UInt32(path.utf8.count)) == 0 else { throw failure("cannot remove \(path)") }
    }

    func makeDirectory(_ path: String) throws(SFTPError) {
        guard libssh2_sftp_mkdir_ex(sftp, path, UInt32(path.utf8.count), 0o750) == 0 else { throw failure("cannot create the directory \(path)") }
    }

    func removeDirectory(_ path: String) throws(SFTPError) {
        guard libssh2_sftp_rmdir_ex(sftp, path, UInt32(path.utf8.count)) == 0 else { throw failure("cannot remove the directory \(path)") }
    }

    // MARK: - Helpers

    private static func entry(_ name: [UInt8], _ attributes: LIBSSH2_SFTP_ATTRIBUTES) -> SFTPEntry {
        let hasMode = attributes.flags & UInt(LIBSSH2_SFTP_ATTR_PERMISSIONS) != 0
        let mode = UInt32(truncatingIfNeeded: attributes.permissions)
        let kind: SFTPEntry.Kind
        switch hasMode ? UInt(mode) & UInt(LIBSSH2_SFTP_S_IFMT) : 0 {
        case UInt(LIBSSH2_SFTP_S_IFREG): kind = .file
        case UInt(LIBSSH2_SFTP_S_IFDIR): kind = .directory
        case UInt(LIBSSH2_SFTP_S_IFLNK): kind = .symlink
        default: kind = .other
        }
        return SFTPEntry(
            name: String(decoding: name, as: UTF8.self), nameBytes: name, kind: kind,
            size: attributes.flags & UInt(LIBSSH2_SFTP_ATTR_SIZE) != 0 ? Int64(attributes.filesize) : -1,
            modified: attributes.flags & UInt(LIBSSH2_SFTP_ATTR_ACMODTIME) != 0 ? Int64(attributes.mtime) : 0,
            permissions: mode & 0o7777)
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, to path: String) throws(SFTPError) {
        var done = 0
        while done < bytes.count {
            let written = write(fd, bytes.baseAddress!.advanced(by: done), bytes.count - done)
            guard written > 0 else { throw SFTPError(.local, "cannot write \(path): \(String(cString: strerror(errno)))") }
            done += written
        }
    }

    private func failure(_ doing: String) -> SFTPError {
        Self.failure(session, sftp, doing)
    }

    /// The error of the last libssh2 call, with libssh2's message and, for an SFTP status,
    /// the server's.
    private static func failure(_ session: OpaquePointer, _ sftp: OpaquePointer?, _ doing: String, kind: SFTPError.Kind? = nil) -> SFTPError {
        var text: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        let code = libssh2_session_last_error(session, &text, &length, 0)
        let said = text.map { String(cString: $0) } ?? ""
        if code == LIBSSH2_ERROR_SFTP_PROTOCOL, let sftp {
            let status = libssh2_sftp_last_error(sftp)
            return SFTPError(kind ?? .server(status: status), "\(doing): the server said \(SFTPError.statusName(status))", code: code)
        }
        let resolved: SFTPError.Kind = kind ?? (code == LIBSSH2_ERROR_TIMEOUT ? .timeout : .connection)
        let detail = said.isEmpty ? "libssh2 error \(code)" : "\(said) (libssh2 error \(code))"
        return SFTPError(resolved, "\(doing): \(detail)", code: code)
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
    }
}

/// Carries a password into libssh2's keyboard-interactive callback.
private final class PasswordBox {
    let value: String
    init(_ value: String) { self.value = value }
}
