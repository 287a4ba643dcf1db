/// A folder files arrive in — a local inbox or a partner's folder on an SFTP server — with the
/// rules for taking its files: which names, when a file is complete, how it is brought into the
/// work area, and what becomes of the original. The gateway runs one loop over every source:
/// `ready`, then for each file `fetch` (or `setAside` when it is refused), register it, `release`.
public protocol FileSource: AnyObject {
    /// Where the files come from, as messages name it (`inbox/stock`, `sftp://erp/out/stock`).
    var location: String { get }

    /// The local folder an inbox watches with inotify, and where a file that changed while it
    /// was read is put back; nil for a partner's folder.
    var localFolder: String? { get }

    /// Lists the folder once and returns the files ready to take, in name order: complete
    /// (settled, or with their done-marker) and not taken before. Files to be refused are
    /// among them (`refusal(of:)`).
    func ready() async throws -> [InboxEntry]

    /// How long until a file still settling may be ready; nil when none waits.
    var nextDeadline: Duration? { get }

    /// Drops what the settle rule remembers of a file, once it was taken or refused.
    func forget(_ entry: InboxEntry)

    /// Why a ready file is refused without reading it, or nil.
    func refusal(of entry: InboxEntry) -> Refusal?

    /// Whether the next file is started while the current one is processed: worth it for a
    /// download, not for a local rename (which then happens in turn, in name order).
    var prefetches: Bool { get }

    /// Starts bringing a ready file into the work area as `workPath`. A local inbox claims it
    /// (one atomic rename) when the arrival is awaited; a partner's file starts downloading at
    /// once, so that the next file downloads while the current one is processed.
    func fetch(_ entry: InboxEntry, to workPath: String) -> PendingArrival

    /// A refused file: a local one is moved into the work area as `workPath` (from there it
    /// goes to `failed/`); a partner's copy stays on the server. Nil when another process took
    /// the file first.
    func setAside(_ entry: InboxEntry, to workPath: String) async throws -> Arrival?

    /// Done with the source's copy, once the file is registered: a partner's copy is kept,
    /// deleted or moved as the flow says. Returns what became of it, for the ledger's transfer
    /// row; nil when there is nothing to record (a local inbox: the file was moved away).
    /// - Parameter fileID: the ledger's number for the file (it names a moved copy that would
    ///   collide with another).
    func release(_ arrival: Arrival, fileID: Int64) async throws -> String?

    /// What an error from this source means for the rest of the pass: the whole source waits
    /// (its partner is down or refused the login, and was told to rest), or only this file
    /// failed. Logs it.
    @discardableResult
    func assess(_ error: any Error, doing: String) -> FailureScope
}

/// How far a failure reaches.
public enum FailureScope: Sendable, Equatable {
    /// Only the file at hand; the source's other files go on.
    case file
    /// The whole source (its partner rests); its other files wait for the next pass.
    case source
}
