public import Logging

/// A local inbox as a file source: listed without following links, a file taken once it
/// settled (or its done-marker came) and no process holds it open for writing, claimed by one atomic rename into the work area (one
/// winner, even across processes), its done-markers removed then.
public final class LocalInbox: FileSource {
    public let directory: LocalDirectory
    public let location: String
    private let rules: SourceRules
    private var tracker: SettleTracker
    /// Files a writer was seen holding, so the wait is logged once per file.
    private var waitingForWriter: Set<[UInt8]> = []
    private let logger: Logger

    /// - Parameters:
    ///   - path: the inbox folder, absolute.
    ///   - location: how messages name it (`inbox/stock`).
    public init(path: String, location: String, rules: SourceRules, logger: Logger) {
        self.logger = logger
        directory = LocalDirectory(path: path)
        self.location = location
        self.rules = rules
        tracker = SettleTracker(rule: rules.readiness)
    }

    public var prefetches: Bool { false }

    public var localFolder: String? { directory.path }

    public func ready() async throws -> [InboxEntry] {
        let candidates = try directory.list().filter(rules.isCandidate)
        let directory = directory
        let ready = tracker.ready(candidates) { directory.contains($0) }
        guard rules.waitForWriters, !ready.isEmpty else { return ready }
        // Unchanged for the settle time, but a process may still hold it open to write more.
        let holders = OpenWriters.holders(of: Set(ready.map { directory.path + "/" + $0.name }))
        guard !holders.isEmpty else { return ready }
        return ready.filter { entry in
            guard let pid = holders[directory.path + "/" + entry.name] else { return true }
            tracker.restart(entry)
            if waitingForWriter.insert(entry.nameBytes).inserted {
                logger.notice("waiting: process \(pid) still has the file open for writing", metadata: ["file.path": "\(directory.path)/\(entry.name)"])
            }
            return false
        }
    }

    public var nextDeadline: Duration? { tracker.nextDeadline() }

    public func forget(_ entry: InboxEntry) {
        tracker.forget(entry.nameBytes)
        waitingForWriter.remove(entry.nameBytes)
    }

    public func refusal(of entry: InboxEntry) -> Refusal? {
        rules.refusal(of: entry, onServer: false)
    }

    public func fetch(_ entry: InboxEntry, to workPath: String) -> PendingArrival {
        let directory = directory, markers = rules.markerSuffixes
        return PendingArrival(entry: entry) {
            guard try directory.claim(entry, to: workPath) else { return nil }  // another process won
            for suffix in markers { directory.remove(entry.name + suffix) }
            return Arrival(entry: entry, workPath: workPath, verb: "claimed")
        }
    }

    public func setAside(_ entry: InboxEntry, to workPath: String) async throws -> Arrival? {
        try await fetch(entry, to: workPath).arrival()
    }

    public func release(_ arrival: Arrival, fileID: Int64) async throws -> String? { nil }

    /// Every failure here concerns one file (a full disk fails each file in turn, and each
    /// says so); the inbox goes on.
    public func assess(_ error: any Error, doing: String) -> FailureScope {
        logger.error("\(doing) failed: \(error)", metadata: ["file.path": "\(directory.path)"])
        return .file
    }
}
