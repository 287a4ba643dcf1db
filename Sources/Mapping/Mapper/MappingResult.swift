public import Commerce

/// A product and the rows it came from.
public struct MappedProduct: Sendable, Hashable {
    public var product: Product
    /// Data rows (file row numbers) of its variants, in order.
    public var rows: [Int]

    public init(product: Product, rows: [Int]) {
        self.product = product
        self.rows = rows
    }
}

/// A stock level and the row it came from.
public struct MappedStock: Sendable, Hashable {
    public var level: StockLevel
    public var row: Int

    public init(level: StockLevel, row: Int) {
        self.level = level
        self.row = row
    }
}

/// A shipment and the rows it came from.
public struct MappedShipment: Sendable, Hashable {
    public var shipment: Shipment
    /// Data rows, in order, and the file line of the first.
    public var rows: [Int]
    public var line: Int

    public init(shipment: Shipment, rows: [Int], line: Int) {
        self.shipment = shipment
        self.rows = rows
        self.line = line
    }
}

/// What mapping a file produced.
public struct MappingResult: Sendable {
    public var products: [MappedProduct] = []
    public var stock: [MappedStock] = []
    public var shipments: [MappedShipment] = []
    /// Records mapped into an object.
    public var rowsMapped = 0
    /// Records the flow's filter left out.
    public var rowsFiltered = 0
    /// Records that could not be mapped (each has a diagnostic).
    public var rowsFailed = 0
    /// Of those, the rows found only when the file ended (clashing variants), in file order.
    public var rowsFailedAtEnd: [Int] = []

    public init() {}
}
