#if canImport(Glibc)
import Glibc
#endif
import Crypto
import Foundation
import Formats
import Ledger
import Logging
import SFTP
import Transport

/// Fetching files from SFTP partners. A listed file is taken once it is complete (its size and
/// time unchanged across two listings and the settle time, or its done-marker there); it is
/// downloaded under a hidden name in the work area while its SHA-256 is computed, checked
/// against the listing and the server once more, and only then registered — a partial download
/// is never processed. The partner's copy is then kept and remembered, deleted, or moved, as
/// the flow says; the ledger has a transfer row for every step.
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
        let candidates = listing.map(InboxEntry.init(remote:)).filter { Self.isCandidate($0, flow: flow) }
        removeStaleDownloads(flow, keeping: Set(candidates.map { RemotePath.join(directory, FileNamePolicy.escaped($0.nameBytes)) }))
        let names = Set(listing.map(\.name))
        let ready = trackers[flow.name]!.ready(candidates) { names.contains($0) }
        for entry in ready {
            do {
                if let finished = try await fetch(entry, from: directory, flow: flow, location: location, partner: partner, client: client) {
                    pass.finished.append(finished)
                }
                // Forgotten once taken; a file whose download broke stays settled for the next try.
                trackers[flow.name]!.forget(entry.nameBytes)
            } catch let error as SFTPError {
                partnerFailed(partner.name, error, flow: flow, doing: "fetching \(location)/\(entry.name)")
                if error.isTransient { return }
            } catch {
                logger.error("could not take remote file", metadata: ["flow": "\(flow.name)", "file.name": "\(entry.name)", "error": "\(error)"])
            }
        }
    }

    /// One ready remote file: refused, skipped (already taken), or fetched, registered, dealt
    /// with on the server and processed.
    private func fetch(
        _ entry: InboxEntry, from directory: String, flow: FlowConfig, location: RemoteLocation, partner: PartnerConfig, client: SFTPClient
    ) async throws -> FileEntry? {
        let modified = entry.modified / 1_000_000_000
        let remotePath = RemotePath.join(directory, entry.name)
        if let known = try ledger.inboundTransfer(flow: flow.name, remotePath: remotePath, size: entry.size, modified: modified) {
            if known.state == .fetched {
                // Fetched before, but the partner's copy was not dealt with yet.
                try await dispose(known, flow: flow, partner: partner, client: client)
                return nil
            }
            // Remembered: this very file was taken (or refused) already. After a delete or a
            // move, the same name, size and time again is a new delivery by the partner.
            if known.state == .done, flow.afterPickup == .keep || known.disposition == Self.refusedDisposition { return nil }
        }
        let transfer = Transfer(
            direction: .inbound, partner: partner.name, flow: flow.name, kind: "file", remotePath: remotePath, localPath: nil, size: entry.size,
            modified: modified, sha256: nil, state: .fetched)
        if let (code, message) = Self.refusal(of: entry, flow: flow, remote: true) {
            let (registered, stored) = try ledger.registerFetched(
                transfer, source: location.description, name: entry.name, workPath: workArea(flow) + "/" + Self.workToken() + "-refused")
            try ledger.finishTransfer(stored.id, disposition: Self.refusedDisposition)
            return try refuse(registered, flow: flow, code: code, message: message)
        }
        guard let download = try await download(remotePath, entry: entry, flow: flow, client: client) else { return nil }
        let workPath = workArea(flow) + "/" + Self.workToken() + "-" + Self.safeName(entry.nameBytes)
        guard rename(download.path, workPath) == 0 else {
            throw GatewayError.io("cannot move \(download.path) to \(workPath): \(String(cString: strerror(errno)))")
        }
        LocalDirectory.syncDirectory(workArea(flow))
        var fetched = transfer
        fetched.localPath = workPath
        fetched.sha256 = download.sha256
        let (registered, stored) = try ledger.registerFetched(
            fetched, source: location.description, name: entry.name, workPath: workPath,
            note: download.resumedAt > 0 ? "resumed at byte \(download.resumedAt) after a broken connection" : nil)
        logger.info("fetched", metadata: [
            "flow": "\(flow.name)", "file.name": "\(entry.name)", "file.id": "\(registered.id)", "partner": "\(partner.name)",
            "file.sha256": "\(download.sha256)",
        ])
        CrashPoint.claimed.reach()
        do {
            try await dispose(stored, flow: flow, partner: partner, client: client)
        } catch let error as SFTPError {
            // The file is safe here; the partner's copy is dealt with at the next listing.
            partnerFailed(partner.name, error, flow: flow, doing: "putting away \(remotePath) (\(flow.afterPickup))")
            try? ledger.transferAttemptFailed(stored.id, error: error.description)
        }
        let finished = try await process(registered, flow: flow)
        if let receipts = flow.receiptsTo { try queueReceipt(for: finished, to: receipts) }
        return finished
    }

    /// The marker `disposition` of a remote file that was refused and left on the server.
    static let refusedDisposition = "refused, left on the server"

    /// Downloads into `.sftp-<key>.part` in the work area, continuing a download that an earlier
    /// pass lost half-way if the remote file is still the same. Nil when the file changed
    /// while it was read (it settles and is taken again).
    private func download(
        _ remotePath: String, entry: InboxEntry, flow: FlowConfig, client: SFTPClient
    ) async throws -> (path: String, sha256: String, resumedAt: Int64)? {
        try FileManager.default.createDirectory(atPath: workArea(flow), withIntermediateDirectories: true)
        let part = partPath(flow, remotePath: remotePath)
        let meta = part + ".meta"
        let identity = "\(entry.size) \(entry.modified)\n"
        let digest = RunningDigest()
        var offset: Int64 = 0
        if (try? String(contentsOfFile: meta, encoding: .utf8)) == identity, let input = try? FileInput(path: part) {
            // Same file as before: hash what is here, then continue after it.
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = try buffer.withUnsafeMutableBytes { try input.read(into: $0) }
                if count <= 0 { break }
                buffer.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            }
            offset = min(digest.byteCount, entry.size)
            if offset != digest.byteCount { return discard(part, "the partial download is longer than the file") }
            if offset > 0 {
                logger.notice("resuming a download", metadata: ["flow": "\(flow.name)", "file.name": "\(entry.name)", "offset": "\(offset)"])
            }
        } else {
            try AtomicFile.write(Array(identity.utf8), to: meta)
        }
        let size = try await client.download(remotePath, to: part, from: offset) { digest.update($0) }
        // Asked again: a file that changed is discarded; a connection that ended early fails
        // here or below, and the part is kept to be continued.
        let now = try await client.stat(remotePath)
        guard now.size == entry.size, now.modified * 1_000_000_000 == entry.modified else {
            return discard(part, "the file changed on the server while it was downloaded; it is taken once it settles again")
        }
        if size < entry.size, digest.byteCount == size {
            throw SFTPError(.connection, "the download of \(remotePath) stopped after \(size) of \(entry.size) bytes; it continues at the next try")
        }
        guard size == entry.size, digest.byteCount == size else {
            return discard(part, "\(size) bytes arrived, the listing said \(entry.size); it is downloaded again")
        }
        unlink(meta)
        return (part, digest.hexDigest(), offset)
    }

    private func discard(_ part: String, _ reason: String) -> (path: String, sha256: String, resumedAt: Int64)? {
        logger.warning("download discarded: \(reason)", metadata: ["file.path": "\(part)"])
        unlink(part)
        unlink(part + ".meta")
        return nil
    }

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
