#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Formats
import Logging
import SFTP


/// One partner file downloaded into the work area under a hidden name (`.sftp-<key>.part`)
/// while its SHA-256 is computed, then checked against the listing and the server once more.
/// A download that broke off is continued from where the part ends if the remote file is still
/// the same (`.part.meta` holds its size and time). Holds only values, so the next file can
/// download on the SFTP client's thread while the current one is processed.
struct PartDownload: Sendable {
    /// A complete download, ready to be registered.
    struct Result: Sendable {
        var path: String
        var sha256: String
        var resumedAt: Int64
        var duration: Duration
    }

    var remotePath: String
    var entry: InboxEntry
    /// `.sftp-<first 16 hex of the remote path's SHA-256>.part` in the flow's work area.
    var partPath: String
    var flow: String
    var logger: Logger

    /// Nil when the file changed while it was read, or the part could not be continued (it is
    /// taken again once it settles).
    func run(client: SFTPClient) async throws -> Result? {
        let started = ContinuousClock.now
        let meta = partPath + ".meta"
        let identity = "\(entry.size) \(entry.modified)\n"
        let digest = RunningDigest()
        var offset: Int64 = 0
        if (try? String(contentsOfFile: meta, encoding: .utf8)) == identity, let input = try? FileInput(path: partPath) {
            // Same file as before: hash what is here, then continue after it.
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = try buffer.withUnsafeMutableBytes { try input.read(into: $0) }
                if count <= 0 { break }
                buffer.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            }
            offset = min(digest.byteCount, entry.size)
            if offset != digest.byteCount { return discard("the partial download is longer than the file") }
            if offset > 0 {
                logger.notice("resuming a download", metadata: ["flow": "\(flow)", "file.name": "\(entry.name)", "offset": "\(offset)"])
            }
        } else {
            try AtomicFile.write(Array(identity.utf8), to: meta)
        }
        let size = try await client.download(remotePath, to: partPath, from: offset) { digest.update($0) }
        // Asked again: a file that changed is discarded; a connection that ended early fails
        // here or below, and the part is kept to be continued.
        let now = try await client.stat(remotePath)
        guard now.size == entry.size, now.modified * 1_000_000_000 == entry.modified else {
            return discard("the file changed on the server while it was downloaded; it is taken once it settles again")
        }
        if size < entry.size, digest.byteCount == size {
            throw SFTPError(.connection, "the download of \(remotePath) stopped after \(size) of \(entry.size) bytes; it continues at the next try")
        }
        guard size == entry.size, digest.byteCount == size else {
            return discard("\(size) bytes arrived, the listing said \(entry.size); it is downloaded again")
        }
        unlink(meta)
        return Result(path: partPath, sha256: digest.hexDigest(), resumedAt: offset, duration: .now - started)
    }

    private func discard(_ reason: String) -> Result? {
        logger.warning("download discarded: \(reason)", metadata: ["file.path": "\(partPath)"])
        unlink(partPath)
        unlink(partPath + ".meta")
        return nil
    }
}
