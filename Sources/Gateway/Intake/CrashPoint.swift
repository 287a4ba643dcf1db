#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Named points where the daemon can be made to die (`HAFEN_CRASH_AT=<point>`), so tests can prove
/// that a `kill -9` anywhere loses and duplicates nothing. Without the variable they do nothing.
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

    func reach() {
        if CrashPoint.target == rawValue { _exit(137) }
    }
}
