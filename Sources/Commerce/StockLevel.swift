/// How many of one SKU a location has to sell.
public struct StockLevel: Sendable, Hashable, Codable {
    public var sku: String
    /// The shop location's name (or id), after the flow's location table.
    public var location: String
    public var quantity: Int

    public init(sku: String, location: String, quantity: Int) {
        self.sku = sku
        self.location = location
        self.quantity = quantity
    }
}
