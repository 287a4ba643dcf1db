/// The shop fields a product mapping may set.
public enum ProductField: String, Sendable, Hashable, CaseIterable, Comparable {
    case handle, title, descriptionHTML = "description_html", vendor, productType = "product_type", tags, status
    case seoTitle = "seo_title", seoDescription = "seo_description", images, collections

    public static func < (a: ProductField, b: ProductField) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The shop fields a variant mapping may set.
public enum VariantField: String, Sendable, Hashable, CaseIterable, Comparable {
    case sku, barcode, price, compareAtPrice = "compare_at_price", weight, taxable, inventoryPolicy = "inventory_policy"

    public static func < (a: VariantField, b: VariantField) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// How stock levels are read: on hand and reserved per location; what is sent is `available`
/// (on hand − reserved, the default) or `on_hand`.
public struct StockSpec: Sendable, Hashable {
    public enum Quantity: String, Sendable, Hashable, CaseIterable {
        case available
        case onHand = "on_hand"
    }

    public var sku: FieldMap
    public var location: FieldMap
    public var onHand: FieldMap
    public var reserved: FieldMap?
    public var quantity: Quantity

    public init(sku: FieldMap, location: FieldMap, onHand: FieldMap, reserved: FieldMap? = nil, quantity: Quantity = .available) {
        self.sku = sku
        self.location = location
        self.onHand = onHand
        self.reserved = reserved
        self.quantity = quantity
    }
}

/// How shipment rows are read (`to: shipments`): the order, optionally the article and
/// quantity (a row without them ships all the order still has to ship), and the tracking.
/// Rows of one order with the same tracking number are one shipment.
public struct ShipmentSpec: Sendable, Hashable {
    public var order: FieldMap
    public var sku: FieldMap?
    public var quantity: FieldMap?
    public var carrier: FieldMap?
    public var trackingNumber: FieldMap?
    public var trackingURL: FieldMap?
    public var notify: FieldMap?

    public init(
        order: FieldMap, sku: FieldMap? = nil, quantity: FieldMap? = nil, carrier: FieldMap? = nil, trackingNumber: FieldMap? = nil,
        trackingURL: FieldMap? = nil, notify: FieldMap? = nil
    ) {
        self.order = order
        self.sku = sku
        self.quantity = quantity
        self.carrier = carrier
        self.trackingNumber = trackingNumber
        self.trackingURL = trackingURL
        self.notify = notify
    }
}

/// What to do with products that disappear from a full export: nothing (the default), or set
/// them to draft or archived in the shop.
public enum MissingPolicy: String, Sendable, Hashable, CaseIterable {
    case keep, draft, archive
}

/// A flow's mapping from validated records to shop objects (`map:` in `hafen.yaml`).
public struct MappingSpec: Sendable, Hashable {
    public enum Target: String, Sendable, Hashable, CaseIterable {
        case products, stock, shipments
    }

    /// A product option (`Farbe`, `Größe`) and how each variant's value is read.
    public struct Option: Sendable, Hashable {
        public var name: String
        public var map: FieldMap

        public init(name: String, map: FieldMap) {
            self.name = name
            self.map = map
        }
    }

    public var target: Target
    /// Only records for which this is true are sent (`Aktiv`, `Warengruppe != 'Muster'`).
    public var filter: Expression?
    /// Records with the same non-blank value here become one product with several variants.
    public var groupBy: Expression?
    public var blank: BlankPolicy
    public var product: [ProductField: FieldMap]
    public var variant: [VariantField: FieldMap]
    public var options: [Option]
    public var stock: StockSpec?
    public var shipment: ShipmentSpec?
    /// What happens in the shop to products pushed before that a (complete) file no longer has.
    public var missing: MissingPolicy = .keep
    /// The largest share (0–1) of known products a file may set to draft or archived at once.
    public var missingLimit = 0.1

    public init(
        target: Target, filter: Expression? = nil, groupBy: Expression? = nil, blank: BlankPolicy = .keep,
        product: [ProductField: FieldMap] = [:], variant: [VariantField: FieldMap] = [:], options: [Option] = [],
        stock: StockSpec? = nil
    ) {
        self.target = target
        self.filter = filter
        self.groupBy = groupBy
        self.blank = blank
        self.product = product
        self.variant = variant
        self.options = options
        self.stock = stock
    }

    /// Fields sent only when the object is created, as `product.description_html`, `variant.price`.
    public var createOnlyFields: Set<String> {
        Set(product.filter { $0.value.on == .create }.map { "product." + $0.key.rawValue }
            + variant.filter { $0.value.on == .create }.map { "variant." + $0.key.rawValue })
    }
}
