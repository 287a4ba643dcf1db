import Foundation
import Transport

/// Every name Hafen gives an inbound file's traces on disk, in one place: the safe form of a
/// partner's name, the work-area name, `NAME.error.txt`, `NAME.receipt.json`,
/// `NAME.rejected.csv`, the receipt under `outbox/receipts/`, and the archive's day folder.
enum FileNames {
    static let errorReportSuffix = ".error.txt"
    static let receiptSuffix = ".receipt.json"
    static let rejectedRowsSuffix = ".rejected.csv"

    /// A name safe to use in our folders: anything unprintable or a separator becomes `_`, a
    /// leading `-` or `.` too; at most 160 bytes (a longer name is shortened with a hash of the
    /// whole, `FileNamePolicy.shortened`), so every name Hafen derives from it fits 255 bytes.
    static func safe(_ bytes: [UInt8]) -> String {
        var name = String(decoding: bytes.map { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") ? UInt8(ascii: "_") : $0 }, as: UTF8.self)
        if name.hasPrefix("-") || name.hasPrefix(".") { name = "_" + name.dropFirst() }
        name = FileNamePolicy.shortened(name)
        return name.isEmpty ? "_" : name
    }

    static func safe(_ name: String) -> String { safe(Array(name.utf8)) }

    /// A flow's work area: `<state>/processing/<flow>`, on the same filesystem as the state
    /// folder, so claims and placements are renames.
    static func workArea(of flow: String, in processingDirectory: String) -> String { processingDirectory + "/" + flow }

    /// A file's place in its flow's work area: a unique, sortable prefix, then its safe name.
    static func work(in workArea: String, name: [UInt8]) -> String {
        workArea + "/" + token() + "-" + safe(name)
    }

    static func work(in workArea: String, name: String) -> String { work(in: workArea, name: Array(name.utf8)) }

    /// A unique, sortable prefix for names in the work area.
    static func token() -> String {
        let ms = Int64(Date().timeIntervalSince1970 * 1000)
        return "\(ms)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
    }

    /// The name a work-area file was claimed under (its prefix taken off).
    static func claimedName(ofWork name: String) -> String {
        String(name.split(separator: "-", maxSplits: 2).last ?? Substring(name))
    }

    /// Whether a work-area name is a file's own (not its rejected rows or a hidden temporary).
    static func isClaimed(work name: String) -> Bool {
        !name.hasSuffix(rejectedRowsSuffix) && !name.hasPrefix(".")
    }

    /// The rejected rows of a file being read, beside it in the work area.
    static func rejectedRows(ofWork workPath: String) -> String { workPath + rejectedRowsSuffix }

    /// `failed/NAME.rejected.csv` for a partial file's rejected rows.
    static func rejectedRows(named safeName: String) -> String { safeName + rejectedRowsSuffix }

    /// Where a settled file's report and receipt copy go: beside the file, or for a partial
    /// file beside its rejected rows (`failed/NAME.error.txt`).
    static func reportBase(finalPath: String, rejectedPath: String?, partial: Bool) -> String {
        guard partial, let rejectedPath else { return finalPath }
        return String(rejectedPath.dropLast(rejectedRowsSuffix.count))
    }

    static func errorReport(beside base: String) -> String { base + errorReportSuffix }
    static func receipt(beside base: String) -> String { base + receiptSuffix }

    /// `dir/name`, or `dir/<id>-name` if something else is already there.
    static func free(in dir: String, name: String, id: Int64) -> String {
        let plain = dir + "/" + name
        return FileManager.default.fileExists(atPath: plain) ? dir + "/\(id)-" + name : plain
    }

    /// `DIR/<flow>/<name>.<sha12>.receipt.json`; a later attempt or duplicate with the same
    /// name and content adds its ledger id, so no receipt overwrites another.
    static func receipt(in receipts: String, flow: String, file: String, sha256: String?, id: Int64) -> String {
        let dir = receipts + "/" + flow
        let name = safe(file)
        let stem = sha256.map { "\(name).\($0.prefix(12))" } ?? "\(name).\(id)"
        let plain = dir + "/" + stem + receiptSuffix
        return FileManager.default.fileExists(atPath: plain) ? dir + "/\(stem).\(id)" + receiptSuffix : plain
    }

    /// The archive's folder for a day: `2026-11-22`.
    static func day(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day())
    }
}
