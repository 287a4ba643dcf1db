#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Named points where the daemon can be made to die (`HAFEN_CRASH_AT=<point>`), so tests can prove
/// that a `kill -9` anywhere loses and duplicates nothing, or to wait (`HAFEN_PAUSE_AT=<point>`
/// with `HAFEN_PAUSE_FILE=<path>`), so tests can send SIGTERM at exactly that point: the first
/// time the point is reached the file is created, and the step goes on once it is removed (or
/// after 60 s). Without the variables they do nothing.
enum CrashPoint: String, CaseIterable {
    case claimed, hashed, validated, committed, placed
    /// `hafen reprocess` or `approve`: the new attempt's ledger row is written, its file not yet moved.
    case requeued
    /// After the first stock batch a shop accepted was recorded, before the next is sent.
    case pushedBatch = "pushed-batch"
    /// A shipment's fulfillment is created in the shop, the ledger not yet told.
    case shipped
    /// Export files: the ledger row exists, nothing written yet; the file is complete and synced
    /// under its temporary name; the file is in place, the ledger not yet told.
    case exportBegun = "export-begun", exportSynced = "export-synced", exportPlaced = "export-placed"
    /// SFTP delivery: the file is complete on the partner's server under its temporary name, not
    /// yet renamed; it is in place (with its sidecar and done-marker), the ledger not yet told.
    case deliveryUploaded = "delivery-uploaded", delivered
    /// The orders stored webhooks named are exported; the webhooks are not yet marked handled.
    case webhooksExported = "webhooks-exported"

    private static let target = ProcessInfo.processInfo.environment["HAFEN_CRASH_AT"]
    private static let pause = ProcessInfo.processInfo.environment["HAFEN_PAUSE_AT"]
    private static let pauseFile = ProcessInfo.processInfo.environment["HAFEN_PAUSE_FILE"]
    private static let paused = Atomic<Bool>(false)

    func reach() {
        if CrashPoint.target == rawValue { _exit(137) }
        if CrashPoint.pause == rawValue, let file = CrashPoint.pauseFile, !CrashPoint.paused.exchange(true, ordering: .relaxed) {
            // Blocks its thread on purpose: the test's signal is handled on another.
            guard FileManager.default.createFile(atPath: file, contents: Data("\(getpid())\n".utf8)) else { return }
            let end = Date().addingTimeInterval(60)
            while FileManager.default.fileExists(atPath: file) && Date() < end { usleep(10_000) }
        }
    }
}
