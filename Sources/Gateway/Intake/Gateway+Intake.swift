import Foundation
import Formats
public import Ledger
import Logging
import ServiceLifecycle
import Transport

/// The receive stage, one loop for every source: a local inbox and a partner's folder alike
/// list what is ready, bring each file into the work area (a rename, or a download checked
/// against the server), and the gateway registers it, lets the source put its copy away, and
/// hands it to the import pipeline. What differs between sources (settling, part files,
/// resuming, keeping or moving the partner's copy) is the source's own business (`Transport`).
extension Gateway {
    /// What one pass over the inboxes did.
    public struct Pass: Sendable {
        public var finished: [FileEntry] = []
        public var deferred = 0
    }

    /// Looks at every source once and handles each file that is ready, then delivers what
    /// waits for partners.
    @discardableResult
    public func scanOnce() async -> Pass {
        var pass = Pass()
        pass.finished = await retryUnfinished()
        pass.finished += await adoptOrphans(settled: true)
        for flow in config.flows {
            // On SIGTERM the file in hand finishes; the inboxes not yet looked at wait.
            if Task.isShuttingDownGracefully { break }
            guard let source = sources[flow.name] else { continue }
            pass.finished += await intake(from: source, flow: flow)
        }
        checkArchivedFilesForGrowth()
        await deliverPending()
        return pass
    }

    /// Takes a source's ready files in name order. A source that prefetches (a partner's
    /// folder) has the next file downloading on the SFTP client's thread while the current one
    /// is processed; it is not registered until its turn, so a crash costs nothing. A failure
    /// that reaches the whole source (its partner went down) ends its pass; others skip a file.
    private func intake(from source: any FileSource, flow: FlowConfig) async -> [FileEntry] {
        let ready: [InboxEntry]
        do {
            ready = try await source.ready()
        } catch {
            source.assess(error, doing: "listing \(source.location)")
            return []
        }
        var finished: [FileEntry] = []
        backoff.forget(prefix: "take:\(flow.name)/", except: Set(ready.map { Self.backoffKey(flow, $0) }))
        var queue = ready.filter { backoff.mayTry(Self.backoffKey(flow, $0)) }[...]
        var ahead = await nextFetch(from: &queue, source, flow: flow, refused: &finished)
        while let current = ahead {
            ahead = nil
            // Files refused while looking for the next one are reported after this one.
            var refused: [FileEntry] = []
            do {
                let arrival = try await current.arrival()
                // Forgotten once it arrived; a file whose download broke stays settled for the next try.
                source.forget(current.entry)
                backoff.succeeded(Self.backoffKey(flow, current.entry))
                if let arrival {
                    let (registered, transfer) = try register(arrival, flow: flow)
                    await release(arrival, of: registered, transfer: transfer, from: source, flow: flow)
                    if source.prefetches && !Task.isShuttingDownGracefully { ahead = await nextFetch(from: &queue, source, flow: flow, refused: &refused) }
                    // A file that fails here is registered: it is retried with backoff by its ledger row.
                    if let done = await processOrBackOff(registered, flow: flow, checksum: arrival.sha256) {
                        if let receipts = flow.receiptsTo { try deliveries.queueReceipt(for: done, to: receipts) }
                        finished.append(done)
                    }
                }
            } catch {
                if failedTaking(current.entry, from: source, flow: flow, error: error) == .source {
                    return finished + refused
                }
            }
            finished += refused
            refused = []
            // Stopping: no new file is taken (one already fetched ahead is finished first);
            // the next start takes the rest.
            if ahead == nil && Task.isShuttingDownGracefully { break }
            if ahead == nil { ahead = await nextFetch(from: &queue, source, flow: flow, refused: &refused) }
            finished += refused
        }
        return finished
    }

    /// Goes through ready files until one is to be fetched, and starts that. Refused files
    /// (a bad name, a link, a pipe, too large) are registered as failed on the way, without
    /// being read: a local one is moved to `failed/`, a partner's copy is left on its server.
    private func nextFetch(
        from queue: inout ArraySlice<InboxEntry>, _ source: any FileSource, flow: FlowConfig, refused: inout [FileEntry]
    ) async -> PendingArrival? {
        while let entry = queue.popFirst() {
            let workPath = FileNames.work(in: workArea(flow), name: entry.nameBytes)
            do {
                try FileManager.default.createDirectory(atPath: workArea(flow), withIntermediateDirectories: true)
                guard let refusal = source.refusal(of: entry) else { return source.fetch(entry, to: workPath) }
                source.forget(entry)
                guard let arrival = try await source.setAside(entry, to: workPath) else { continue }  // another process won
                let (registered, transfer) = try register(arrival, flow: flow)
                await release(arrival, of: registered, transfer: transfer, from: source, flow: flow)
                refused.append(try settlement.refuse(registered, flow: flow, code: refusal.code, message: refusal.message))
            } catch {
                if failedTaking(entry, from: source, flow: flow, error: error) == .source {
                    queue.removeAll()
                    return nil
                }
            }
        }
        return nil
    }

    /// A failure while taking one file. One that reaches the whole source goes to the source (its
    /// partner rests). One of this file alone (a name the disk refuses, a full disk, a file that
    /// cannot be read) makes the file wait 2 s, 4 s … 5 min before its next try, and is logged
    /// only when `RetryBackoff` says so, so it never floods the log; `stuck` lists it meanwhile.
    private func failedTaking(_ entry: InboxEntry, from source: any FileSource, flow: FlowConfig, error: any Error) -> FailureScope {
        let doing = "taking \(source.location)/\(entry.name)"
        guard PartnerLinks.scope(of: error) == .file else { return source.assess(error, doing: doing) }
        let (log, wait) = backoff.failed(Self.backoffKey(flow, entry), subject: "\(source.location)/\(entry.name)", error: "\(error)")
        if log { source.assess(error, doing: "\(doing) (next try in \(wait.components.seconds) s)") }
        return .file
    }

    static func backoffKey(_ flow: FlowConfig, _ entry: InboxEntry) -> String {
        "take:\(flow.name)/" + String(decoding: entry.nameBytes, as: UTF8.self)
    }

    /// Records an arrival in the ledger: a file row, and for a partner's file its transfer row
    /// in the same transaction. Returns the file and the transfer's number.
    private func register(_ arrival: Arrival, flow: FlowConfig) throws -> (FileEntry, transfer: Int64?) {
        let name = arrival.entry.name
        // A refused partner file was never brought here; its row needs a work path all the same.
        let workPath = arrival.workPath ?? workArea(flow) + "/" + FileNames.token() + "-refused"
        let registered: FileEntry, transfer: Int64?
        if let origin = arrival.origin {
            let fetched = Transfer(
                direction: .inbound, partner: origin.partner, flow: flow.name, kind: "file", remotePath: origin.path, localPath: arrival.workPath,
                size: origin.size, modified: origin.modified, sha256: arrival.sha256, state: .fetched)
            let (file, stored) = try ledger.registerFetched(fetched, source: flow.sourceLabel(config), name: name, workPath: workPath, note: arrival.note)
            (registered, transfer) = (file, stored.id)
        } else {
            (registered, transfer) = (try ledger.register(flow: flow.name, source: flow.sourceLabel(config), name: name, workPath: workPath, size: arrival.entry.size), nil)
        }
        guard arrival.workPath != nil else { return (registered, transfer) }
        var metadata: Logger.Metadata = ["flow": "\(flow.name)", "file.name": "\(name)", "file.id": "\(registered.id)"]
        for (key, value) in arrival.details { metadata[key] = "\(value)" }
        logger.info("\(arrival.verb)", metadata: metadata)
        events.publish(.received(registered))
        CrashPoint.claimed.reach()
        return (registered, transfer)
    }

    /// Lets the source put its copy away and records what became of it. A failure here loses
    /// nothing: the file is safe in the work area, and the copy is dealt with at the next listing.
    private func release(_ arrival: Arrival, of file: FileEntry, transfer: Int64?, from source: any FileSource, flow: FlowConfig) async {
        do {
            if let disposition = try await source.release(arrival, fileID: file.id), let transfer {
                try ledger.finishTransfer(transfer, disposition: disposition)
            }
        } catch {
            source.assess(error, doing: "putting away \(source.location)/\(arrival.entry.name) (\(flow.afterPickup))")
            if let transfer { try? ledger.transferAttemptFailed(transfer, error: "\(error)") }
        }
    }
}
