#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SFTP

/// A partner's SFTP server as a destination. Each file is uploaded under a hidden temporary
/// name (`.NAME.hafen-part`), flushed on the server (`fsync@openssh.com`), checked for its size
/// and renamed into place. SFTP v3 renames never overwrite, so a name already taken means the
/// file was delivered before (same size and checksum: nothing to do) or is someone else's
/// (never clobbered: `DeliveryConflict`, with a message for an admin).
public final class PartnerDestination: FileDestination {
    public let partner: String
    private let links: PartnerLinks
    private let scratch: String
    private let beforeRename: @Sendable () -> Void

    /// - Parameter scratch: a local folder for the copy a conflict is compared with.
    /// - Parameter beforeRename: called when a file is complete on the server under its
    ///   temporary name, before it is renamed into place (the gateway's crash point there).
    public init(partner: String, links: PartnerLinks, scratch: String, beforeRename: @escaping @Sendable () -> Void = {}) {
        self.partner = partner
        self.links = links
        self.scratch = scratch
        self.beforeRename = beforeRename
    }

    public var location: String { "sftp://\(partner)" }

    public var isResting: Bool { links.client(partner) == nil }

    /// The happy path costs the upload, a stat and a rename: a taken name is found by the
    /// rename (which never overwrites), a missing folder or a leftover temporary file by the
    /// upload, and only then looked into.
    public func put(_ local: String, at remote: String) async throws -> Delivered {
        guard let client = links.client(partner) else { throw SFTPError(.connection, "\(partner) rests after a failure; \(remote) is sent later") }
        let delivered = try await put(local, at: remote, client: client)
        links.succeeded(partner)
        return delivered
    }

    private func put(_ local: String, at remote: String, client: SFTPClient) async throws -> Delivered {
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
            if try await client.exists(remote) { return try await compare(remote, size: size, sha256: FileDigest.sha256(ofFile: local), client: client) }
            try await client.makeDirectories(folder)
            if try await client.exists(temp) { try await client.remove(temp) }  // ours, left by an attempt that broke off
            _ = try await client.upload(local, to: temp, exclusive: true, sync: true)
        }
        let written = try await client.stat(temp)
        guard written.size == size else {
            try? await client.remove(temp)
            throw SFTPError(.connection, "\(temp) has \(written.size) bytes on the server after the upload, not \(size); it will be sent again")
        }
        beforeRename()
        do {
            try await client.rename(temp, to: remote)
        } catch {
            // Someone put the name there meanwhile: never replace it.
            guard (try? await client.exists(remote)) == true else { throw error }
            try? await client.remove(temp)
            return try await compare(remote, size: size, sha256: FileDigest.sha256(ofFile: local), client: client)
        }
        return .sent
    }

    public func assess(_ error: any Error, doing: String) -> FailureScope {
        links.failed(partner, error, doing: doing)
    }

    /// Whether the file at `remote` is ours (same size and SHA-256); otherwise a conflict.
    private func compare(_ remote: String, size: Int64, sha256: String, client: SFTPClient) async throws -> Delivered {
        let there = try await client.stat(remote)
        if there.size == size {
            let copy = scratch + "/.verify-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            defer { unlink(copy) }
            _ = try await client.download(remote, to: copy)
            if try FileDigest.sha256(ofFile: copy) == sha256 { return .alreadyThere }
        }
        throw DeliveryConflict(description: "\(remote) already exists on the server with other content (\(there.size) bytes); "
            + "Hafen never overwrites a partner's file. Move it aside there, then: hafen transfers --retry")
    }
}
