import Foundation
public import Ledger
public import Shops

/// What one export run did: orders read, files written, orders left out and why.
public struct ExportRun: Sendable {
    public var flow: String
    /// Orders read from the shop.
    public var collected = 0
    public var files: [ExportFile] = []
    /// Orders written (in any file), by kind.
    public var written: [ExportKind: Int] = [:]
    /// Orders the filter left out (never exported before).
    public var filtered = 0
    /// Versions already handled by an earlier run (the overlap window, a repeated webhook).
    public var seen = 0
    /// Newer versions whose rows did not change.
    public var unchanged = 0
    /// Orders that changed after export and wait for an admin.
    public var review: [String] = []
    /// Orders that could not be written, with the reason.
    public var failures: [String] = []
    public var statistics = ShopStatistics()

    public init(flow: String) {
        self.flow = flow
    }

    /// Orders written in all.
    public var writtenCount: Int { written.values.reduce(0, +) }
}

/// The receipt of an outbound file (`receipts/<flow>/<name>.receipt.json`): what went out, its
/// checksum, and which shop object versions it holds.
public struct ExportReceipt: Codable, Sendable, Equatable {
    public struct Record: Codable, Sendable, Equatable {
        public var order: String
        public var id: String
        public var version: String
        public var kind: String
    }

    public var direction = "out"
    public var id: Int64
    public var flow: String
    public var file: String
    public var path: String
    public var size: Int64
    public var sha256: String
    public var writtenAt: String
    public var shop: String
    public var rows: Int
    public var records: [Record]

    enum CodingKeys: String, CodingKey {
        case direction, id, flow, file, path, size, sha256, shop, rows, records
        case writtenAt = "written_at"
    }
}
