#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Ledger
import Logging

/// A writer Hafen cannot see (another user's process, invisible in `/proc` to a non-root
/// daemon) may still hold a file open when it is taken, and go on writing into the inode that
/// is now in the archive. What it writes then was never read. Each pass looks at the files
/// archived in the last hour (every 10 s at most): one that grew is reported once, loudly —
/// an error in the log, a line in the file's history (`hafen show`), and a section of
/// `hafen status` — since only the ERP can send those rows again.
extension Gateway {
    /// The ledger activity event of a file that grew after it was archived.
    public static let grewEvent = "grew after archiving"

    func checkArchivedFilesForGrowth(now: ContinuousClock.Instant = .now) {
        if let last = growthCheck.last, now - last < .seconds(10) { return }
        growthCheck.last = now
        let archive = config.absolute(config.archiveDirectory) + "/"
        let since = Date().addingTimeInterval(-3600)
        guard let recent = try? ledger.files(limit: 500) else { return }
        if growthCheck.reported == nil {
            growthCheck.reported = Set(((try? ledger.activity(limit: 2000)) ?? []).filter { $0.event == Self.grewEvent }.compactMap(\.fileID))
        }
        for entry in recent where entry.placed && (entry.finishedAt ?? .distantPast) >= since && !(growthCheck.reported?.contains(entry.id) ?? false) {
            guard let path = entry.finalPath, path.hasPrefix(archive), let read = entry.size else { continue }
            var info = stat()
            guard lstat(path, &info) == 0, Int64(info.st_size) > read else { continue }
            let message = "\(entry.name) grew after it was taken: \(read) bytes were read, the archived copy has \(info.st_size) now. "
                + "What was written after byte \(read) was never read or applied: its writer was not finished when the file was taken. "
                + "Have the ERP send those rows again as a new file."
            logger.error("\(message)", metadata: ["flow": "\(entry.flow)", "file.id": "\(entry.id)", "file.path": "\(config.display(path))"])
            do {
                try ledger.log(Self.grewEvent, message, fileID: entry.id, flow: entry.flow)
                growthCheck.reported?.insert(entry.id)
            } catch {
                logger.error("cannot record that a file grew", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// When the archive was last looked at, and the files reported as grown.
struct GrowthCheck {
    var last: ContinuousClock.Instant?
    var reported: Set<Int64>?
}
