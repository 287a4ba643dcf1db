/// A file brought into the work area (or, for a refused partner file, looked at and left).
public struct Arrival: Sendable {
    /// The file as it was listed.
    public var entry: InboxEntry
    /// Where it is now; nil when it was left at the source (a refused partner file).
    public var workPath: String?
    /// Its SHA-256, when it was computed on the way in (a download).
    public var sha256: String?
    /// The partner's copy, for the ledger's transfer row; nil for a local inbox.
    public var origin: RemoteOrigin?
    /// A remark for the ledger ("resumed at byte … after a broken connection").
    public var note: String?
    /// What the log line says: `claimed` or `fetched`.
    public var verb: String
    /// More for the log line (the partner, the checksum, the download's seconds).
    public var details: [String: String]

    public init(
        entry: InboxEntry, workPath: String?, sha256: String? = nil, origin: RemoteOrigin? = nil, note: String? = nil, verb: String,
        details: [String: String] = [:]
    ) {
        self.entry = entry
        self.workPath = workPath
        self.sha256 = sha256
        self.origin = origin
        self.note = note
        self.verb = verb
        self.details = details
    }
}

/// A file on a partner's server as Hafen listed it: who, where, how large, when written.
public struct RemoteOrigin: Sendable, Equatable {
    public var partner: String
    public var path: String
    public var size: Int64
    /// The server's modification time, whole seconds since the epoch.
    public var modified: Int64

    public init(partner: String, path: String, size: Int64, modified: Int64) {
        self.partner = partner
        self.path = path
        self.size = size
        self.modified = modified
    }
}

/// A file on its way into the work area: awaited with `arrival()`.
public struct PendingArrival: Sendable {
    private enum Work: Sendable {
        case onDemand(@Sendable () async throws -> Arrival?)
        case running(Task<Arrival?, any Error>)
    }

    public let entry: InboxEntry
    private let work: Work

    /// Work that runs when the arrival is awaited (a local claim).
    public init(entry: InboxEntry, onDemand body: @escaping @Sendable () async throws -> Arrival?) {
        self.entry = entry
        work = .onDemand(body)
    }

    /// Work already under way (a download).
    public init(entry: InboxEntry, running task: Task<Arrival?, any Error>) {
        self.entry = entry
        work = .running(task)
    }

    /// The file in the work area, or nil when it was not taken after all (another process
    /// claimed it, or it changed while it downloaded and is taken once it settles again).
    public func arrival() async throws -> Arrival? {
        switch work {
        case .onDemand(let body): try await body()
        case .running(let task): try await task.value
        }
    }
}
