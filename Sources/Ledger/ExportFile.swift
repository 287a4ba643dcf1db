public import Foundation

/// Where an outbound file stands. `writing`: its content and checksum are fixed, the file is
/// being written under a temporary name and put into place; `written`: in place in the outbox;
/// `delivered`: the ERP acknowledged it (or took it away); `abandoned`: an interrupted write that
/// was cleaned up (its records are exported again).
public enum ExportFileState: String, Sendable, Codable, CaseIterable {
    case writing, written, delivered, abandoned
}

/// One file Hafen wrote for the ERP.
public struct ExportFile: Sendable, Equatable, Codable {
    public var id: Int64
    public var flow: String
    public var name: String
    public var path: String
    public var temporaryPath: String
    public var size: Int64?
    public var sha256: String?
    /// Shop objects in the file.
    public var records: Int
    public var state: ExportFileState
    public var createdAt: Date
    public var writtenAt: Date?
    public var deliveredAt: Date?
    /// `ack` (an acknowledgement file came) or `removed` (the ERP took the file away).
    public var deliveredBy: String?

    public init(
        id: Int64, flow: String, name: String, path: String, temporaryPath: String, size: Int64?, sha256: String?, records: Int,
        state: ExportFileState, createdAt: Date, writtenAt: Date?, deliveredAt: Date?, deliveredBy: String?
    ) {
        self.id = id
        self.flow = flow
        self.name = name
        self.path = path
        self.temporaryPath = temporaryPath
        self.size = size
        self.sha256 = sha256
        self.records = records
        self.state = state
        self.createdAt = createdAt
        self.writtenAt = writtenAt
        self.deliveredAt = deliveredAt
        self.deliveredBy = deliveredBy
    }
}

/// What became of one version of a shop object in an export flow.
public enum ExportKind: String, Sendable, Codable, CaseIterable {
    /// First written.
    case original
    /// Written again because it changed after export (`on_change: amend`).
    case amendment
    /// Written as a cancellation (`on_cancel: cancellation`).
    case cancellation
    /// Written again on an admin's request (`hafen reexport`).
    case reexport
    /// A newer version whose exported content did not change: nothing written (also the
    /// gateway's own writes to the shop, which touch fields no export carries).
    case unchanged
    /// Changed after export and waiting for an admin (`on_change: review`).
    case review
    /// Could not be turned into rows (the note says why); tried again when the order changes
    /// or on `hafen reexport`.
    case failed

    /// Whether a file holds this version.
    public var isWritten: Bool { [.original, .amendment, .cancellation, .reexport].contains(self) }
}

/// One shop object version and the file it went into.
public struct ExportRecord: Sendable, Equatable, Codable {
    public var flow: String
    /// The shop's id (`gid://shopify/Order/1`).
    public var objectID: String
    /// The object's `updatedAt` as the shop gave it.
    public var version: String
    /// What people call it (`#1001`).
    public var objectName: String
    public var kind: ExportKind
    /// SHA-256 of the rows the object became, to tell a real change from a touch.
    public var contentHash: String
    public var fileID: Int64?
    public var at: Date
    /// Why a version was not written (`review`, `failed`).
    public var note: String?

    public init(
        flow: String, objectID: String, version: String, objectName: String, kind: ExportKind, contentHash: String, fileID: Int64?, at: Date,
        note: String? = nil
    ) {
        self.note = note
        self.flow = flow
        self.objectID = objectID
        self.version = version
        self.objectName = objectName
        self.kind = kind
        self.contentHash = contentHash
        self.fileID = fileID
        self.at = at
    }
}

/// Where polling resumes: the newest change seen (`updatedAt`, then id).
public struct ExportCursor: Sendable, Equatable {
    public var updatedAt: String
    public var objectID: String

    public init(updatedAt: String, objectID: String) {
        self.updatedAt = updatedAt
        self.objectID = objectID
    }
}

/// A webhook that was received and not yet handled.
public struct WebhookEvent: Sendable, Equatable {
    public var webhookID: String
    public var shop: String
    public var topic: String
    public var objectID: String
    public var receivedAt: Date

    public init(webhookID: String, shop: String, topic: String, objectID: String, receivedAt: Date) {
        self.webhookID = webhookID
        self.shop = shop
        self.topic = topic
        self.objectID = objectID
        self.receivedAt = receivedAt
    }
}
