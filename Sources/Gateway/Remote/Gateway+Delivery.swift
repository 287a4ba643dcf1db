#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Formats
import Ledger
import Logging
import SFTP

/// Delivering files to SFTP partners: export files and receipts are queued in the ledger, then
/// each is uploaded under a hidden temporary name (`.NAME.hafen-part`), flushed on the server
/// (`fsync@openssh.com`), checked for its size and renamed into place. SFTP v3 renames never
/// overwrite, so a name already taken means the file was delivered before (same size and
/// checksum: nothing to do) or is someone else's (never clobbered; the transfer fails with a
/// message for an admin).
extension Gateway {
    /// A remote name already holds a different file.
    struct DeliveryConflict: Error, CustomStringConvertible {
        var description: String
    }

    /// Queues a written export file for its partner (the export's `sftp://` target).
    func queueDelivery(of file: ExportFile, flow: ExportConfig) throws {
        guard let remote = flow.remote, let partner = config.partner(named: remote.partner) else { return }
        try ledger.queueTransfer(Transfer(
            direction: .outbound, partner: partner.name, flow: flow.name, kind: "file", remotePath: RemotePath.join(partner.directory, remote.directory) + "/" + file.name,
            localPath: file.path, size: file.size, sha256: file.sha256, exportFileID: file.id, state: .pending))
    }

    /// Queues a processed file's receipt (and its error report, if it has one) for the flow's
    /// `receipts_to` folder.
    func queueReceipt(for entry: FileEntry, to location: RemoteLocation) throws {
        guard let partner = config.partner(named: location.partner), let stored = try ledger.receipt(for: entry.id) else { return }
        let folder = RemotePath.join(partner.directory, location.directory)
        var items = [("receipt", stored.path, (stored.path as NSString).lastPathComponent)]
        if entry.state == .failed || entry.state == .held, let finalPath = entry.finalPath {
            items.append(("report", FileNames.errorReport(beside: finalPath), FileNames.safe(entry.name) + ".\(entry.id)" + FileNames.errorReportSuffix))
        }
        for (kind, local, name) in items where FileManager.default.fileExists(atPath: local) {
            try ledger.queueTransfer(Transfer(
                direction: .outbound, partner: partner.name, flow: entry.flow, kind: kind, remotePath: folder + "/" + name, localPath: local,
                size: nil, sha256: nil, fileID: entry.id, state: .pending))
        }
    }

    /// Delivers every queued transfer whose partner is reachable, oldest first. A partner that
    /// fails rests and keeps its queue; the others go on.
    @discardableResult
    public func deliverPending() async -> Int {
        guard let pending = try? ledger.transfers(state: .pending, direction: .outbound), !pending.isEmpty else { return 0 }
        var resting: Set<String> = []
        var delivered = 0
        for transfer in pending where !resting.contains(transfer.partner) {
            guard let client = links.client(transfer.partner) else {
                resting.insert(transfer.partner)
                continue
            }
            do {
                try await deliver(transfer, client: client)
                links.succeeded(transfer.partner)
                delivered += 1
            } catch let error as DeliveryConflict {
                try? ledger.transferAttemptFailed(transfer.id, error: error.description, final: true)
                logger.error("not delivered: \(error.description)", metadata: ["partner": "\(transfer.partner)", "flow": "\(transfer.flow)"])
            } catch {
                try? ledger.transferAttemptFailed(transfer.id, error: "\(error)")
                partnerFailed(transfer.partner, error, flow: nil, doing: "delivering \(transfer.remotePath)")
                if let sftp = error as? SFTPError, sftp.isTransient || sftp.kind == .hostKey || sftp.kind == .authentication {
                    resting.insert(transfer.partner)
                }
            }
        }
        return delivered
    }

    /// One transfer: the file, then for exports its `.sha256` sidecar and done-marker.
    private func deliver(_ transfer: Transfer, client: SFTPClient) async throws {
        guard let local = transfer.localPath else { throw DeliveryConflict(description: "transfer #\(transfer.id) has no local file") }
        var notes = [try await put(local, to: transfer.remotePath, client: client)]
        if transfer.kind == "file", let exportID = transfer.exportFileID, let flow = config.export(named: transfer.flow) {
            if flow.remoteSidecar, FileManager.default.fileExists(atPath: local + ".sha256") {
                notes.append(try await put(local + ".sha256", to: transfer.remotePath + ".sha256", client: client))
            }
            if let marker = flow.remoteDoneMarker {
                notes.append(try await put(try emptyFile(), to: transfer.remotePath + marker, client: client))
            }
            try ledger.finishTransfer(transfer.id, disposition: notes.contains("already there") ? "was already there" : nil)
            try ledger.markDelivered(id: exportID, by: "sftp")
        } else {
            try ledger.finishTransfer(transfer.id, disposition: notes.contains("already there") ? "was already there" : nil)
        }
        logger.info("delivered", metadata: ["partner": "\(transfer.partner)", "flow": "\(transfer.flow)", "remote.path": "\(transfer.remotePath)"])
        events.publish(.delivered(partner: transfer.partner, remotePath: transfer.remotePath))
    }

    /// Puts one local file at `remote`: temporary name, flush, size check, rename. Returns
    /// "already there" when the same bytes were in place (an earlier attempt got that far).
    /// The happy path costs the upload, a stat and a rename: a taken name is found by the
    /// rename (which never overwrites), a missing folder or a leftover temporary file by the
    /// upload, and only then looked into.
    private func put(_ local: String, to remote: String, client: SFTPClient) async throws -> String {
        let size = try FileManager.default.attributesOfItem(atPath: local)[.size] as? Int64 ?? 0
        let folder = (remote as NSString).deletingLastPathComponent
        let temp = RemotePath.join(folder, "." + (remote as NSString).lastPathComponent + ".hafen-part")
        var refused = false
        do {
            _ = try await client.upload(local, to: temp, exclusive: true, sync: true)
        } catch {
            if error.isTransient { throw error }
            refused = true
        }
        if refused {
            if try await client.exists(remote) { return try await compare(remote, size: size, sha256: Self.sha256(ofFile: local), client: client) }
            try await ensureFolder(folder, client: client)
            if try await client.exists(temp) { try await client.remove(temp) }  // ours, left by an attempt that broke off
            _ = try await client.upload(local, to: temp, exclusive: true, sync: true)
        }
        let written = try await client.stat(temp)
        guard written.size == size else {
            try? await client.remove(temp)
            throw SFTPError(.connection, "\(temp) has \(written.size) bytes on the server after the upload, not \(size); it will be sent again")
        }
        do {
            try await client.rename(temp, to: remote)
        } catch {
            // Someone put the name there meanwhile: never replace it.
            guard (try? await client.exists(remote)) == true else { throw error }
            try? await client.remove(temp)
            return try await compare(remote, size: size, sha256: Self.sha256(ofFile: local), client: client)
        }
        return "sent"
    }

    /// Whether the file at `remote` is ours (same size and SHA-256); otherwise a conflict.
    private func compare(_ remote: String, size: Int64, sha256: String, client: SFTPClient) async throws -> String {
        let there = try await client.stat(remote)
        if there.size == size {
            let copy = config.processingDirectory + "/.verify-" + FileNames.token()
            defer { unlink(copy) }
            _ = try await client.download(remote, to: copy)
            if try Self.sha256(ofFile: copy) == sha256 { return "already there" }
        }
        throw DeliveryConflict(description: "\(remote) already exists on the server with other content (\(there.size) bytes); "
            + "Hafen never overwrites a partner's file. Move it aside there, then: hafen transfers --retry")
    }

    /// Makes a remote folder and the missing ones above it (`in/orders` on a new server).
    func ensureFolder(_ folder: String, client: SFTPClient) async throws {
        guard !folder.isEmpty, folder != "/", !(try await client.exists(folder)) else { return }
        try await ensureFolder((folder as NSString).deletingLastPathComponent, client: client)
        try await client.makeDirectory(folder)
    }

    /// An empty local file, uploaded as a done-marker.
    private func emptyFile() throws -> String {
        let path = config.processingDirectory + "/.empty"
        if !FileManager.default.fileExists(atPath: path) { try AtomicFile.write([], to: path) }
        return path
    }
}
