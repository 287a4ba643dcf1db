#if canImport(Glibc)
import Glibc
#endif
import Foundation
public import Ledger
import Formats
import Logging
import Transport

extension Gateway {
    /// Finishes what a crash interrupted: claims never processed, outcomes never placed, and files
    /// in the work area that never got a ledger row. Run once at start, before scanning.
    @discardableResult
    public func recover() async throws -> [FileEntry] {
        var finished: [FileEntry] = []
        // A spill file is unlinked right after it is created; a crash in between leaves one behind.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: config.processingDirectory)) ?? []
        where name.hasPrefix(".hafen-spill-") {
            try? FileManager.default.removeItem(atPath: config.processingDirectory + "/" + name)
        }
        finished += await adoptOrphans(settled: false)
        let unfinished = try ledger.unfinished()
        finished += await retry(unfinished, atStart: true)
        return finished
    }

    /// Registers and processes work-area files that no ledger row points at: a crash between
    /// claim and register, or a claim whose ledger write failed (a full disk). At start
    /// (`settled: false`) they are adopted at once; on a later pass only once seen on an earlier
    /// pass at least 2 s before, so a file `hafen reprocess` is just moving in (rename, then
    /// register) is never adopted twice.
    func adoptOrphans(settled: Bool, now: ContinuousClock.Instant = .now) async -> [FileEntry] {
        guard let unfinished = try? ledger.unfinished() else { return [] }
        let known = Set(unfinished.map(\.workPath))
        var seen: [String: ContinuousClock.Instant] = [:]
        var finished: [FileEntry] = []
        for flow in config.flows {
            for orphan in orphans(in: workArea(flow), known: known) {
                let path = workArea(flow) + "/" + orphan
                let since = orphanSightings[path] ?? now
                seen[path] = since
                guard !settled || now - since >= .seconds(2) else { continue }
                guard backoff.mayTry("adopt:" + path, now: now) else { continue }
                let name = FileNames.claimedName(ofWork: orphan)
                do {
                    let entry = try ledger.register(flow: flow.name, source: flow.sourceLabel(config), name: name, workPath: path, size: nil)
                    backoff.succeeded("adopt:" + path)
                    seen[path] = nil
                    logger.notice("adopted a claimed file without a ledger row", metadata: ["flow": "\(flow.name)", "file.name": "\(name)"])
                    events.publish(.received(entry))
                    if let done = await processOrBackOff(entry, flow: flow) { finished.append(done) }
                } catch {
                    let (log, wait) = backoff.failed("adopt:" + path, subject: "\(config.display(path))", error: "\(error)", now: now)
                    if log { logger.error("could not register a claimed file, next try in \(wait.components.seconds) s: \(error)", metadata: ["file.path": "\(path)"]) }
                }
            }
        }
        orphanSightings = seen
        return finished
    }

    /// Processes claims that are waiting (queued by `hafen reprocess`, or left by a transient
    /// error) and places committed outcomes that were never placed.
    @discardableResult
    func retryUnfinished() async -> [FileEntry] {
        guard let unfinished = try? ledger.unfinished(), !unfinished.isEmpty else { return [] }
        return await retry(unfinished)
    }

    /// `atStart`: the daemon has just taken the lock, so no `hafen reprocess` of another process
    /// is half-way; on later passes a new attempt's row younger than 10 s may still be waiting
    /// for its file, which that command is moving.
    private func retry(_ unfinished: [FileEntry], atStart: Bool = false) async -> [FileEntry] {
        var finished: [FileEntry] = []
        for entry in unfinished {
            guard let flow = flow(named: entry.flow) else {
                logger.error("unfinished file of an unknown flow", metadata: ["flow": "\(entry.flow)", "file.id": "\(entry.id)"])
                continue
            }
            let key = "file:\(entry.id)"
            guard backoff.mayTry(key) else { continue }
            do {
                if entry.state.isFinal {
                    try settlement.place(entry.id, rejectedRows: nil)
                } else if FileManager.default.fileExists(atPath: entry.workPath) {
                    logger.notice("resuming an interrupted file", metadata: ["flow": "\(flow.name)", "file.name": "\(entry.name)", "file.id": "\(entry.id)"])
                    _ = try await process(entry, flow: flow)
                } else if entry.retryOf != nil, !atStart, (0..<10).contains(Date().timeIntervalSince(entry.receivedAt)) {
                    continue  // (a wall clock set back makes the age negative: not a reason to wait)
                } else if let (old, source) = unmovedRequeue(entry) {
                    logger.notice("finishing an interrupted reprocess or approve", metadata: ["flow": "\(flow.name)", "file.name": "\(entry.name)", "file.id": "\(entry.id)"])
                    try finishRequeue(entry, repeating: old, from: source)
                    _ = try await process(entry, flow: flow)
                } else {
                    _ = try settlement.refuse(entry, flow: flow, code: .unreadable, message: "the claimed file disappeared from the work area before it was read")
                }
                backoff.succeeded(key)
                if let done = try ledger.entry(entry.id) { finished.append(done) }
            } catch {
                noteStuck(entry, error: error)
            }
        }
        return finished
    }

    /// A new attempt whose ledger row was written but whose file was never moved (`hafen
    /// reprocess` or `approve` died in between): the repeated attempt and its stored file, while
    /// that is still there.
    private func unmovedRequeue(_ entry: FileEntry) -> (FileEntry, String)? {
        guard let id = entry.retryOf, let old = try? ledger.entry(id), let source = requeueSource(of: old),
              FileManager.default.fileExists(atPath: source) else { return nil }
        return (old, source)
    }

    /// Processes a freshly registered file; an error leaves it unfinished in the ledger, to be
    /// retried with backoff like any other.
    func processOrBackOff(_ entry: FileEntry, flow: FlowConfig, checksum: String? = nil) async -> FileEntry? {
        do {
            return try await process(entry, flow: flow, checksum: checksum)
        } catch {
            noteStuck(entry, error: error)
            return nil
        }
    }

    /// A file that could not be finished (processed or placed) waits 2 s, 4 s … 5 min before
    /// its next try; the failure is logged and noted in the ledger's activity (which `hafen
    /// show` and `hafen status` read) only when `RetryBackoff` says so.
    func noteStuck(_ entry: FileEntry, error: any Error) {
        let (log, wait) = backoff.failed("file:\(entry.id)", subject: "#\(entry.id) \(entry.name)", error: "\(error)")
        guard log else { return }
        logger.error("could not finish a file, next try in \(wait.components.seconds) s: \(error)",
                     metadata: ["flow": "\(entry.flow)", "file.id": "\(entry.id)", "file.name": "\(entry.name)"])
        try? ledger.log("stuck", "could not finish (next try in \(wait.components.seconds) s): \(error)", fileID: entry.id, flow: entry.flow)
    }

    /// Work-area files that no unfinished ledger row points at (a crash between claim and register).
    private func orphans(in directory: String, known: Set<String>) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().filter { name in
            FileNames.isClaimed(work: name) && !known.contains(directory + "/" + name)
        }
    }
}
