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
        let unfinished = try ledger.unfinished()
        let known = Set(unfinished.map(\.workPath))
        for flow in config.flows {
            for orphan in orphans(in: workArea(flow), known: known) {
                let name = FileNames.claimedName(ofWork: orphan)
                let entry = try ledger.register(
                    flow: flow.name, source: flow.sourceLabel(config), name: name,
                    workPath: workArea(flow) + "/" + orphan, size: nil)
                logger.notice("adopted a claimed file without a ledger row", metadata: ["flow": "\(flow.name)", "file.name": "\(name)"])
                events.publish(.received(entry))
                if let done = try? await process(entry, flow: flow) { finished.append(done) }
            }
        }
        finished += await retry(unfinished)
        return finished
    }

    /// Processes claims that are waiting (queued by `hafen reprocess`, or left by a transient
    /// error) and places committed outcomes that were never placed.
    @discardableResult
    func retryUnfinished() async -> [FileEntry] {
        guard let unfinished = try? ledger.unfinished(), !unfinished.isEmpty else { return [] }
        return await retry(unfinished)
    }

    private func retry(_ unfinished: [FileEntry]) async -> [FileEntry] {
        var finished: [FileEntry] = []
        for entry in unfinished {
            guard let flow = flow(named: entry.flow) else {
                logger.error("unfinished file of an unknown flow", metadata: ["flow": "\(entry.flow)", "file.id": "\(entry.id)"])
                continue
            }
            do {
                if entry.state.isFinal {
                    try settlement.place(entry.id, rejectedRows: nil)
                } else if FileManager.default.fileExists(atPath: entry.workPath) {
                    logger.notice("resuming an interrupted file", metadata: ["flow": "\(flow.name)", "file.name": "\(entry.name)", "file.id": "\(entry.id)"])
                    _ = try await process(entry, flow: flow)
                } else {
                    _ = try settlement.refuse(entry, flow: flow, code: .unreadable, message: "the claimed file disappeared from the work area before it was read")
                }
                if let done = try ledger.entry(entry.id) { finished.append(done) }
            } catch {
                logger.error("could not finish an interrupted file", metadata: ["file.id": "\(entry.id)", "error": "\(error)"])
            }
        }
        return finished
    }

    /// Work-area files that no unfinished ledger row points at (a crash between claim and register).
    private func orphans(in directory: String, known: Set<String>) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().filter { name in
            FileNames.isClaimed(work: name) && !known.contains(directory + "/" + name)
        }
    }
}
