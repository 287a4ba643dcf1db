#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Formats
import Ledger
import Logging
import Transport

extension Gateway {
    /// Moves a committed file to its final folder and writes its receipt and error report.
    /// Idempotent: after a crash it is simply run again.
    func place(_ id: Int64, rejectedTemp: String?) throws {
        guard let entry = try ledger.entry(id), entry.state.isFinal, let finalPath = entry.finalPath else { return }
        let fm = FileManager.default
        try fm.createDirectory(atPath: (finalPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if fm.fileExists(atPath: entry.workPath) || isLink(entry.workPath) {
            guard rename(entry.workPath, finalPath) == 0 else {
                throw GatewayError.io("cannot move \(entry.workPath) to \(finalPath): \(String(cString: strerror(errno)))")
            }
            LocalDirectory.syncDirectory((finalPath as NSString).deletingLastPathComponent)
        }
        if let rejectedPath = entry.rejectedPath {
            let temp = rejectedTemp ?? entry.workPath + ".rejected.csv"
            if fm.fileExists(atPath: temp) {
                try fm.createDirectory(atPath: (rejectedPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard rename(temp, rejectedPath) == 0 else { throw GatewayError.io("cannot move rejected rows to \(rejectedPath)") }
            }
        }
        if let stored = try ledger.receipt(for: id) {
            try AtomicFile.write(Array(stored.json.utf8), to: ensureParent(stored.path))
            if let receipt = try? Receipt.decoder.decode(Receipt.self, from: Data(stored.json.utf8)),
                entry.state == .failed || entry.state == .partial
            {
                let reportBase = entry.state == .failed ? finalPath : (entry.rejectedPath.map { String($0.dropLast(".rejected.csv".count)) } ?? finalPath)
                try AtomicFile.write(Array(ErrorReport.render(receipt).utf8), to: reportBase + ".error.txt")
                try AtomicFile.write(Array(stored.json.utf8), to: reportBase + ".receipt.json")
            }
        }
        try ledger.markPlaced(id)
        CrashPoint.placed.reach()
    }

    private func ensureParent(_ path: String) throws -> String {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        return path
    }

    private func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}
