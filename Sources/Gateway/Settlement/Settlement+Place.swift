#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Formats
import Ledger
import Transport

extension Settlement {
    /// Moves a committed file to its final folder and writes its receipt and error report.
    /// Idempotent: after a crash it is simply run again. Returns the placed entry (nil when
    /// the ledger holds no committed outcome for `id`), as the `settled` event carries it.
    /// - Parameter rejectedRows: where the rejected rows were written (default: beside the
    ///   file in the work area).
    @discardableResult
    func place(_ id: Int64, rejectedRows: String?) throws -> FileEntry? {
        guard let entry = try ledger.entry(id), entry.state.isFinal, let finalPath = entry.finalPath else { return nil }
        let fm = FileManager.default
        if entry.state == .returned {
            try putBack(entry, to: finalPath)
            try ledger.markPlaced(id)
            return try settled(id)
        }
        try fm.createDirectory(atPath: (finalPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if fm.fileExists(atPath: entry.workPath) || Self.isLink(entry.workPath) {
            try Self.move("the file", entry.workPath, to: finalPath)
        }
        if let rejectedPath = entry.rejectedPath {
            let temp = rejectedRows ?? FileNames.rejectedRows(ofWork: entry.workPath)
            if fm.fileExists(atPath: temp) {
                try fm.createDirectory(atPath: (rejectedPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Self.move("the rejected rows", temp, to: rejectedPath)
            }
        }
        if let stored = try ledger.receipt(for: id) {
            try AtomicFile.write(Array(stored.json.utf8), to: Self.ensureParent(stored.path))
            if let receipt = try? Receipt.decoder.decode(Receipt.self, from: Data(stored.json.utf8)),
                entry.state == .failed || entry.state == .partial || entry.state == .held
            {
                let base = FileNames.reportBase(finalPath: finalPath, rejectedPath: entry.rejectedPath, partial: entry.state == .partial)
                try AtomicFile.write(Array(ErrorReport.render(receipt).utf8), to: FileNames.errorReport(beside: base))
                try AtomicFile.write(Array(stored.json.utf8), to: FileNames.receipt(beside: base))
            }
        }
        try ledger.markPlaced(id)
        CrashPoint.placed.reach()
        return try settled(id)
    }

    /// The placed entry, read once and published.
    private func settled(_ id: Int64) throws -> FileEntry? {
        guard let placed = try ledger.entry(id) else { return nil }
        events.publish(.settled(placed))
        return placed
    }

    /// Moves a returned file back into its inbox without replacing anything there (`link` refuses
    /// an existing name). If the writer has meanwhile put a new file under that name, ours is an
    /// outdated version: it is kept in `failed/` with a report instead, so nothing is lost.
    private func putBack(_ entry: FileEntry, to inboxPath: String) throws {
        guard FileManager.default.fileExists(atPath: entry.workPath) else { return }
        do throws(TransportError) {
            try FileMove.move(entry.workPath, to: inboxPath, replacing: false)
            return
        } catch where error.errno != EEXIST {
            throw GatewayError.cannotMove("the file back to its inbox", from: entry.workPath, to: inboxPath, errno: error.errno ?? EIO)
        } catch {}
        let failed = config.absolute(config.failedDirectory)
        let kept = FileNames.free(in: failed, name: FileNames.safe(entry.name), id: entry.id)
        try Self.move("the file", entry.workPath, to: kept)
        try AtomicFile.write(Array("""
            \(entry.name) (ledger #\(entry.id)) changed while Hafen was reading it [\(DiagnosticCode.fileChanged.rawValue)].
            A newer file with the same name has arrived since, and will be processed on its own.
            This copy is the older, possibly incomplete version; nothing from it was applied.
            Fix: \(DiagnosticCode.fileChanged.remedy)

            """.utf8), to: FileNames.errorReport(beside: kept))
    }

    /// Moves a file into its final folder, which may be on another filesystem (`FileMove`).
    static func move(_ what: String, _ source: String, to destination: String) throws {
        do throws(TransportError) {
            try FileMove.move(source, to: destination)
        } catch {
            throw GatewayError.cannotMove(what, from: source, to: destination, errno: error.errno ?? EIO)
        }
    }

    private static func ensureParent(_ path: String) throws -> String {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        return path
    }

    private static func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}
