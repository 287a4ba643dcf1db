/// A client for one SFTP server. libssh2 blocks, so the actor runs on an OS thread of its own;
/// one operation at a time per client. It connects when first used and again after the
/// connection was lost (the failing call still throws; the caller decides when to retry).
/// Every step is bounded by the endpoint's timeout, and an idle connection sends keepalives.
public actor SFTPClient {
    public let endpoint: SFTPEndpoint
    private let executor: ThreadExecutor
    private var session: SSHSession?

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public init(endpoint: SFTPEndpoint) {
        self.endpoint = endpoint
        executor = ThreadExecutor(name: "hafen.sftp.\(endpoint.host)")
    }

    /// Connects, checks the host key and logs in now (otherwise the first operation does).
    public func connect() throws(SFTPError) {
        _ = try current()
    }

    /// Closes the connection; the next operation opens a new one.
    public func disconnect() {
        session = nil
    }

    public var isConnected: Bool { session != nil }

    /// The names in a remote directory (without `.` and `..`), with their attributes.
    public func list(_ directory: String) throws(SFTPError) -> [SFTPEntry] {
        try run { session throws(SFTPError) in try session.list(directory) }
    }

    /// A path's attributes; a symbolic link is reported as a link, not followed.
    public func stat(_ path: String) throws(SFTPError) -> SFTPEntry {
        try run { session throws(SFTPError) in try session.stat(path) }
    }

    public func exists(_ path: String) throws(SFTPError) -> Bool {
        try run { session throws(SFTPError) in try session.exists(path) }
    }

    /// Copies a remote file into a local file, continuing at `offset` (the local file is cut
    /// there first); each chunk also goes to `observe` (for a checksum). Returns the local size.
    public func download(
        _ remote: String, to local: String, from offset: Int64 = 0, observe: (@Sendable (UnsafeRawBufferPointer) -> Void)? = nil
    ) throws(SFTPError) -> Int64 {
        try run { session throws(SFTPError) in try session.download(remote, to: local, from: offset) { observe?($0) } }
    }

    /// Copies a local file to `remote`. `exclusive`: fail if it exists (never overwrite);
    /// `sync`: have the server flush it to disk (`fsync@openssh.com`) where offered.
    public func upload(_ local: String, to remote: String, exclusive: Bool = true, sync: Bool = true) throws(SFTPError) -> Int64 {
        try run { session throws(SFTPError) in try session.upload(local, to: remote, exclusive: exclusive, sync: sync) }
    }

    /// Renames on the server; refused when `to` exists (SFTP v3 renames never overwrite).
    public func rename(_ from: String, to: String) throws(SFTPError) {
        try run { session throws(SFTPError) in try session.rename(from, to: to) }
    }

    public func remove(_ path: String) throws(SFTPError) {
        try run { session throws(SFTPError) in try session.remove(path) }
    }

    public func makeDirectory(_ path: String) throws(SFTPError) {
        try run { session throws(SFTPError) in try session.makeDirectory(path) }
    }

    public func removeDirectory(_ path: String) throws(SFTPError) {
        try run { session throws(SFTPError) in try session.removeDirectory(path) }
    }

    // MARK: - Connection

    private func current() throws(SFTPError) -> SSHSession {
        if let session { return session }
        let fresh = try SSHSession(endpoint: endpoint)
        session = fresh
        return fresh
    }

    /// Runs one operation; a connection that broke or stalled is dropped, so the next call
    /// starts a new one instead of reusing a dead session.
    private func run<T>(_ body: (SSHSession) throws(SFTPError) -> T) throws(SFTPError) -> T {
        let session = try current()
        do {
            try session.keepAlive()
            return try body(session)
        } catch {
            if error.isTransient { self.session = nil }
            throw error
        }
    }
}
