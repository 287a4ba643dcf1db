#if canImport(Glibc)
import Glibc
#endif
import Crypto
import Foundation
public import Logging
import SFTP

/// A folder on a partner's SFTP server as a file source. A listed file is taken once it is
/// complete (its size and time unchanged across two listings and the settle time, or its
/// done-marker there); it is downloaded under a hidden name in the work area while its SHA-256
/// is computed, checked against the listing and the server once more, and only then handed on
/// — a partial download is never processed. Once the gateway registered it, the partner's copy
/// is kept and remembered, deleted, or moved (`AfterPickup`). What was taken is remembered in
/// the gateway's ledger (`PickupMemory`), so a kept file is not taken twice.
public final class PartnerFolder: FileSource {
    /// The partner's name, as `partners:` gives it.
    public let partner: String
    /// The folder on the server (the partner's directory joined with the flow's).
    public let directory: String
    public let location: String
    private let partnerDirectory: String
    private let rules: SourceRules
    private let afterPickup: AfterPickup
    private let workArea: String
    private let flow: String
    private let links: PartnerLinks
    private let memory: any PickupMemory
    private let logger: Logger
    private var tracker: SettleTracker
    /// The connection of the current pass, from its listing on: the pass goes on with it even
    /// if a failure on the way lets the partner rest (the next pass waits).
    private var client: SFTPClient?

    /// The `disposition` of a remote file that was refused and left on the server.
    public static let refusedDisposition = "refused, left on the server"

    /// - Parameters:
    ///   - partnerDirectory: the partner's base folder on the server ("" = the login folder).
    ///   - folder: the flow's folder below it.
    ///   - workArea: the flow's local work area, where downloads are put.
    public init(
        partner: String, partnerDirectory: String, folder: String, location: String, rules: SourceRules, afterPickup: AfterPickup,
        workArea: String, flow: String, links: PartnerLinks, memory: any PickupMemory, logger: Logger
    ) {
        self.partner = partner
        self.partnerDirectory = partnerDirectory
        directory = RemotePath.join(partnerDirectory, folder)
        self.location = location
        self.rules = rules
        self.afterPickup = afterPickup
        self.workArea = workArea
        self.flow = flow
        self.links = links
        self.memory = memory
        self.logger = logger
        tracker = SettleTracker(rule: rules.readiness)
    }

    public var prefetches: Bool { true }

    public var localFolder: String? { nil }

    public var nextDeadline: Duration? { tracker.nextDeadline() }

    public func forget(_ entry: InboxEntry) {
        tracker.forget(entry.nameBytes)
    }

    public func refusal(of entry: InboxEntry) -> Refusal? {
        rules.refusal(of: entry, onServer: true)
    }

    /// Lists the folder (nothing while the partner rests), drops partial downloads of files no
    /// longer listed, and returns the settled files in name order (ERPs number their exports)
    /// that were not taken before. A file fetched before whose copy was not dealt with yet (a
    /// crash came between) is put away now instead.
    public func ready() async throws -> [InboxEntry] {
        client = links.client(partner)
        guard let client else { return [] }
        let listing = try await client.list(directory)
        links.succeeded(partner)
        let candidates = listing.map(InboxEntry.init(remote:)).filter(rules.isCandidate)
            .sorted { $0.nameBytes.lexicographicallyPrecedes($1.nameBytes) }
        removeStaleDownloads(keeping: Set(candidates.map { partPath(RemotePath.join(directory, FileNamePolicy.escaped($0.nameBytes))) }))
        let names = Set(listing.map(\.name))
        var ready: [InboxEntry] = []
        for entry in tracker.ready(candidates, markerPresent: { names.contains($0) }) {
            do {
                if try await isTaken(entry, client: client) {
                    tracker.forget(entry.nameBytes)
                } else {
                    ready.append(entry)
                }
            } catch {
                // What reaches the partner is thrown, and assessed once by the caller.
                if PartnerLinks.scope(of: error) == .source { throw error }
                links.failed(partner, error, doing: "fetching \(location)/\(entry.name)", flow: flow)
            }
        }
        return ready
    }

    /// Whether the ledger says this very file was taken (or refused) already. After a delete
    /// or a move, the same name, size and time again is a new delivery by the partner.
    private func isTaken(_ entry: InboxEntry, client: SFTPClient) async throws -> Bool {
        guard let known = try memory.recall(origin(of: entry)) else { return false }
        if known.awaitsRelease {
            // Fetched before, but the partner's copy was not dealt with yet.
            try memory.released(known.transferID, disposition: try await dispose(known.origin.path, id: known.fileID ?? known.transferID, client: client))
            return true
        }
        return known.isFinished && (afterPickup == .keep || known.disposition == Self.refusedDisposition)
    }

    public func fetch(_ entry: InboxEntry, to workPath: String) -> PendingArrival {
        let origin = origin(of: entry)
        let download = PartDownload(remotePath: origin.path, entry: entry, partPath: partPath(origin.path), flow: flow, logger: logger)
        let workArea = workArea, partner = partner
        guard let client else {
            return PendingArrival(entry: entry) { throw SFTPError(.connection, "\(entry.name) was not listed in this pass; it is fetched later") }
        }
        return PendingArrival(entry: entry, running: Task {
            guard let done = try await download.run(client: client) else { return nil }
            guard rename(done.path, workPath) == 0 else {
                throw TransportError(.io, path: workPath, errno: errno, "cannot move the download into the work area")
            }
            LocalDirectory.syncDirectory(workArea)
            return Arrival(
                entry: entry, workPath: workPath, sha256: done.sha256, origin: origin,
                note: done.resumedAt > 0 ? "resumed at byte \(done.resumedAt) after a broken connection" : nil, verb: "fetched",
                details: ["partner": partner, "file.sha256": done.sha256, "seconds": String(format: "%.3f", done.duration / .seconds(1))])
        })
    }

    public func setAside(_ entry: InboxEntry, to workPath: String) async throws -> Arrival? {
        Arrival(entry: entry, workPath: nil, origin: origin(of: entry), verb: "refused", details: ["partner": partner])
    }

    /// Keeps, deletes or moves the partner's copy as the flow says; a refused file was left
    /// there and is only remembered.
    public func release(_ arrival: Arrival, fileID: Int64) async throws -> String? {
        guard arrival.workPath != nil else { return Self.refusedDisposition }
        guard let client else {
            throw SFTPError(.connection, "\(arrival.entry.name) was not listed in this pass; the partner's copy is put away later")
        }
        return try await dispose(origin(of: arrival.entry).path, id: fileID, client: client)
    }

    public func assess(_ error: any Error, doing: String) -> FailureScope {
        links.failed(partner, error, doing: doing, flow: flow)
    }

    /// The listed file as the ledger's transfer rows name it.
    private func origin(of entry: InboxEntry) -> RemoteOrigin {
        RemoteOrigin(partner: partner, path: RemotePath.join(directory, entry.name), size: entry.size, modified: entry.modified / 1_000_000_000)
    }

    /// Deals with the partner's copy of a fetched file: keep (remembered in the ledger), delete,
    /// or move into the flow's `move_to` folder under a name not yet taken there. Returns the
    /// disposition for the ledger.
    private func dispose(_ remotePath: String, id: Int64, client: SFTPClient) async throws -> String {
        let name = (remotePath as NSString).lastPathComponent
        let disposition: String
        switch afterPickup {
        case .keep:
            disposition = "kept"
        case .delete:
            try await client.remove(remotePath)
            disposition = "deleted"
        case .move(let folder):
            let target = RemotePath.join(partnerDirectory, folder)
            try await client.makeDirectories(target)
            var destination = target + "/" + name
            if try await client.exists(destination) { destination = target + "/\(id)-" + name }
            try await client.rename(remotePath, to: destination)
            disposition = destination
        }
        if afterPickup != .keep {
            for suffix in rules.markerSuffixes where (try? await client.exists(remotePath + suffix)) == true {
                try? await client.remove(remotePath + suffix)
            }
        }
        return disposition
    }

    /// `.sftp-<first 16 hex of the path's SHA-256>.part`: stable across passes, so a download
    /// broken off can be continued.
    private func partPath(_ remotePath: String) -> String {
        workArea + "/.sftp-" + String(SHA256.hash(data: Array(remotePath.utf8)).hex.prefix(16)) + ".part"
    }

    /// Drops partial downloads of files that are no longer listed.
    private func removeStaleDownloads(keeping partPaths: Set<String>) {
        let keep = Set(partPaths.map { ($0 as NSString).lastPathComponent })
        for name in (try? FileManager.default.contentsOfDirectory(atPath: workArea)) ?? []
        where name.hasPrefix(".sftp-") && name.hasSuffix(".part") && !keep.contains(name) {
            unlink(workArea + "/" + name)
            unlink(workArea + "/" + name + ".meta")
        }
    }
}

/// What happens to the partner's copy once Hafen holds the file safely: left and remembered (by
/// name, size, time and checksum, so it is not taken twice), deleted, or moved to a folder on
/// the server.
public enum AfterPickup: Sendable, Equatable, CustomStringConvertible {
    case keep, delete
    /// A folder below the partner's directory.
    case move(String)

    public var description: String {
        switch self {
        case .keep: "keep"
        case .delete: "delete"
        case .move(let dir): "move to \(dir)"
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
