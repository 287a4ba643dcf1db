public import Foundation

/// What Hafen last pushed successfully to one shop for one object (a product by handle, a
/// stock level by SKU and location), and the shop's ids for it: the base for sending only
/// what changed.
public struct RecordState: Sendable, Equatable {
    public var shop: String
    /// `product` or `stock`.
    public var kind: String
    public var key: String
    /// SHA-256 of `content`.
    public var contentHash: String
    /// The object as pushed, as canonical JSON.
    public var content: String
    /// The shop's ids (`product`, `variant:SKU`, `inventory_item:SKU`, `location`).
    public var remoteIDs: [String: String]
    public var pushedAt: Date
    /// The file whose push last wrote it.
    public var fileID: Int64?

    public init(
        shop: String, kind: String, key: String, contentHash: String, content: String, remoteIDs: [String: String] = [:],
        pushedAt: Date = Date(), fileID: Int64? = nil
    ) {
        self.shop = shop
        self.kind = kind
        self.key = key
        self.contentHash = contentHash
        self.content = content
        self.remoteIDs = remoteIDs
        self.pushedAt = pushedAt
        self.fileID = fileID
    }
}
