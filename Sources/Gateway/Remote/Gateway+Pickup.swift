#if canImport(Glibc)
import Glibc
#endif
import Crypto
import Foundation
import Ledger
import Logging
import SFTP
import Transport

/// Fetching files from SFTP partners. A listed file is taken once it is complete (its size and
/// time unchanged across two listings and the settle time, or its done-marker there); it is
/// downloaded under a hidden name in the work area while its SHA-256 is computed, checked
/// against the listing and the server once more, and only then registered — a partial download
/// is never processed. The partner's copy is then kept and remembered, deleted, or moved, as
/// the flow says; the ledger has a transfer row for every step. Files are taken in name order,
/// and the next one downloads (into its hidden part file, not yet registered) while the
/// current one is processed.
extension Gateway {
    /// Lists a remote flow's folder and fetches what is ready. A partner that fails rests (see
    /// `PartnerLinks`); other flows go on.
    func scanRemote(_ flow: FlowConfig, location: RemoteLocation, into pass: inout Pass) async {
        guard let partner = config.partner(named: location.partner) else { return }
        guard let client = links.client(partner.name) else { return }
        let directory = RemotePath.join(partner.directory, location.directory)
        let listing: [SFTPEntry]
        do {
            listing = try await client.list(directory)
            links.succeeded(partner.name)
        } catch {
            partnerFailed(partner.name, error, flow: flow, doing: "listing \(location)")
            return
        }
        // In name order, as from a local inbox (ERPs number their exports).
        let candidates = listing.map(InboxEntry.init(remote:)).filter { Self.isCandidate($0, flow: flow) }
            .sorted { $0.nameBytes.lexicographicallyPrecedes($1.nameBytes) }
        removeStaleDownloads(flow, keeping: Set(candidates.map { RemotePath.join(directory, FileNamePolicy.escaped($0.nameBytes)) }))
        let names = Set(listing.map(\.name))
        var queue = trackers[flow.name]!.ready(candidates) { names.contains($0) }[...]
        let context = PickupContext(directory: directory, flow: flow, location: location, partner: partner, client: client)
        // While a file is processed, the next one downloads on the SFTP client's own thread.
        var ahead = await startNextDownload(from: &queue, context, refused: &pass.finished)
        while let current = ahead {
            ahead = nil
            // Files refused while looking for the next download are reported after this one.
            var refused: [FileEntry] = []
            defer { pass.finished += refused }
            do {
                let taken = try await take(current, context)
                // Forgotten once taken; a file whose download broke stays settled for the next try.
                trackers[flow.name]!.forget(current.entry.nameBytes)
                ahead = await startNextDownload(from: &queue, context, refused: &refused)
                if let (registered, download) = taken {
                    let finished = try await process(registered, flow: flow, checksum: download.sha256)
                    if let receipts = flow.receiptsTo { try queueReceipt(for: finished, to: receipts) }
                    pass.finished.append(finished)
                }
            } catch let error as SFTPError {
                // Only taking the current file talks to the server, before the next download starts.
                partnerFailed(partner.name, error, flow: flow, doing: "fetching \(location)/\(current.entry.name)")
                if error.isTransient { return }
            } catch {
                logger.error("could not take remote file", metadata: ["flow": "\(flow.name)", "file.name": "\(current.entry.name)", "error": "\(error)"])
            }
            if ahead == nil { ahead = await startNextDownload(from: &queue, context, refused: &refused) }
        }
    }

    /// What one pass over a remote folder works with.
    struct PickupContext {
        var directory: String
        var flow: FlowConfig
        var location: RemoteLocation
        var partner: PartnerConfig
        var client: SFTPClient
    }

    /// A file whose download runs.
    struct PendingDownload {
        var entry: InboxEntry
        var transfer: Transfer
        var task: Task<RemoteDownload.Result?, any Error>
    }

    /// Goes through ready files until one needs downloading, and starts that download. Files
    /// taken before are skipped (or their remote copy put away, if a crash came first);
    /// refused ones are registered as failed and reported.
    private func startNextDownload(
        from queue: inout ArraySlice<InboxEntry>, _ context: PickupContext, refused: inout [FileEntry]
    ) async -> PendingDownload? {
        while let entry = queue.popFirst() {
            do {
                guard let transfer = try await prepare(entry, context, refused: &refused) else {
                    trackers[context.flow.name]!.forget(entry.nameBytes)
                    continue
                }
                try FileManager.default.createDirectory(atPath: workArea(context.flow), withIntermediateDirectories: true)
                let download = RemoteDownload(
                    remotePath: transfer.remotePath, entry: entry, partPath: partPath(context.flow, remotePath: transfer.remotePath),
                    flow: context.flow.name, logger: logger)
                let client = context.client
                return PendingDownload(entry: entry, transfer: transfer, task: Task { try await download.run(client: client) })
            } catch let error as SFTPError {
                partnerFailed(context.partner.name, error, flow: context.flow, doing: "fetching \(context.location)/\(entry.name)")
                if error.isTransient {
                    queue.removeAll()
                    return nil
                }
            } catch {
                logger.error("could not take remote file", metadata: ["flow": "\(context.flow.name)", "file.name": "\(entry.name)", "error": "\(error)"])
            }
        }
        return nil
    }

    /// Decides about a ready file before any download: nil when there is nothing to fetch (taken
    /// before, or refused and reported here), else the transfer row to be.
    private func prepare(_ entry: InboxEntry, _ context: PickupContext, refused: inout [FileEntry]) async throws -> Transfer? {
        let flow = context.flow
        let modified = entry.modified / 1_000_000_000
        let remotePath = RemotePath.join(context.directory, entry.name)
        if let known = try ledger.inboundTransfer(flow: flow.name, remotePath: remotePath, size: entry.size, modified: modified) {
            if known.state == .fetched {
                // Fetched before, but the partner's copy was not dealt with yet.
                try await dispose(known, flow: flow, partner: context.partner, client: context.client)
                return nil
            }
            // Remembered: this very file was taken (or refused) already. After a delete or a
            // move, the same name, size and time again is a new delivery by the partner.
            if known.state == .done, flow.afterPickup == .keep || known.disposition == Self.refusedDisposition { return nil }
        }
        let transfer = Transfer(
            direction: .inbound, partner: context.partner.name, flow: flow.name, kind: "file", remotePath: remotePath, localPath: nil, size: entry.size,
            modified: modified, sha256: nil, state: .fetched)
        if let (code, message) = Self.refusal(of: entry, flow: flow, remote: true) {
            let (registered, stored) = try ledger.registerFetched(
                transfer, source: context.location.description, name: entry.name, workPath: workArea(flow) + "/" + FileNames.token() + "-refused")
            try ledger.finishTransfer(stored.id, disposition: Self.refusedDisposition)
            refused.append(try settlement.refuse(registered, flow: flow, code: code, message: message))
            return nil
        }
        return transfer
    }

    /// A finished download: moved to its work name, registered in the ledger, and the
    /// partner's copy put away. Nil when the download was discarded (the file changed).
    private func take(_ pending: PendingDownload, _ context: PickupContext) async throws -> (FileEntry, RemoteDownload.Result)? {
        let flow = context.flow
        guard let download = try await pending.task.value else { return nil }
        let entry = pending.entry
        let workPath = FileNames.work(in: workArea(flow), name: entry.nameBytes)
        guard rename(download.path, workPath) == 0 else {
            throw GatewayError.cannotMove("the download", from: download.path, to: workPath)
        }
        LocalDirectory.syncDirectory(workArea(flow))
        var fetched = pending.transfer
        fetched.localPath = workPath
        fetched.sha256 = download.sha256
        let (registered, stored) = try ledger.registerFetched(
            fetched, source: context.location.description, name: entry.name, workPath: workPath,
            note: download.resumedAt > 0 ? "resumed at byte \(download.resumedAt) after a broken connection" : nil)
        logger.info("fetched", metadata: [
            "flow": "\(flow.name)", "file.name": "\(entry.name)", "file.id": "\(registered.id)", "partner": "\(context.partner.name)",
            "file.sha256": "\(download.sha256)", "seconds": "\(String(format: "%.3f", download.duration / .seconds(1)))",
        ])
        CrashPoint.claimed.reach()
        events.publish(.received(registered))
        do {
            try await dispose(stored, flow: flow, partner: context.partner, client: context.client)
        } catch let error as SFTPError {
            // The file is safe here; the partner's copy is dealt with at the next listing.
            partnerFailed(context.partner.name, error, flow: flow, doing: "putting away \(pending.transfer.remotePath) (\(flow.afterPickup))")
            try? ledger.transferAttemptFailed(stored.id, error: error.description)
        }
        return (registered, download)
    }

    /// The marker `disposition` of a remote file that was refused and left on the server.
    static let refusedDisposition = "refused, left on the server"

    /// `.sftp-<first 16 hex of the path's SHA-256>.part`: stable across passes, so a download
    /// broken off can be continued.
    func partPath(_ flow: FlowConfig, remotePath: String) -> String {
        workArea(flow) + "/.sftp-" + String(SHA256.hash(data: Array(remotePath.utf8)).hex.prefix(16)) + ".part"
    }

    /// Drops partial downloads of files that are no longer listed.
    private func removeStaleDownloads(_ flow: FlowConfig, keeping remotePaths: Set<String>) {
        let keep = Set(remotePaths.map { (partPath(flow, remotePath: $0) as NSString).lastPathComponent })
        for name in (try? FileManager.default.contentsOfDirectory(atPath: workArea(flow))) ?? []
        where name.hasPrefix(".sftp-") && name.hasSuffix(".part") && !keep.contains(name) {
            unlink(workArea(flow) + "/" + name)
            unlink(workArea(flow) + "/" + name + ".meta")
        }
    }

    /// Deals with the partner's copy of a fetched file: keep (remembered in the ledger), delete,
    /// or move into the flow's `move_to` folder under a name not yet taken there.
    private func dispose(_ transfer: Transfer, flow: FlowConfig, partner: PartnerConfig, client: SFTPClient) async throws {
        let name = (transfer.remotePath as NSString).lastPathComponent
        var disposition: String
        switch flow.afterPickup {
        case .keep:
            disposition = "kept"
        case .delete:
            try await client.remove(transfer.remotePath)
            disposition = "deleted"
        case .move(let folder):
            let target = RemotePath.join(partner.directory, folder)
            try await ensureFolder(target, client: client)
            var destination = target + "/" + name
            if try await client.exists(destination) { destination = target + "/\(transfer.fileID ?? transfer.id)-" + name }
            try await client.rename(transfer.remotePath, to: destination)
            disposition = destination
        }
        if case .marker(let suffixes) = flow.readiness, flow.afterPickup != .keep {
            for suffix in suffixes where (try? await client.exists(transfer.remotePath + suffix)) == true {
                try? await client.remove(transfer.remotePath + suffix)
            }
        }
        try ledger.finishTransfer(transfer.id, disposition: disposition)
    }

    /// Logs a partner failure once with the flow and what was being done, and lets the partner rest.
    func partnerFailed(_ partner: String, _ error: any Error, flow: FlowConfig?, doing: String) {
        guard let error = error as? SFTPError else {
            logger.error("\(doing) failed: \(error)", metadata: ["partner": "\(partner)"])
            return
        }
        guard error.isTransient || error.kind == .hostKey || error.kind == .authentication else {
            logger.warning("\(doing) failed: \(error.description)", metadata: ["partner": "\(partner)", "flow": "\(flow?.name ?? "")"])
            return
        }
        let message = links.failed(partner, error)
        if error.kind == .hostKey || error.kind == .authentication {
            try? ledger.log("partner paused", "\(partner): \(message)", flow: flow?.name)
        }
    }
}

extension InboxEntry {
    /// A partner's listing entry in the terms the settle rule and the intake checks use (the
    /// server gives whole seconds and no inode).
    init(remote entry: SFTPEntry) {
        self.init(
            nameBytes: entry.nameBytes, kind: entry.kind == .file ? .regular : entry.kind == .symlink ? .symlink : entry.kind == .directory ? .directory : .other,
            size: entry.size, modified: entry.modified * 1_000_000_000, device: 0, inode: 0)
    }
}
