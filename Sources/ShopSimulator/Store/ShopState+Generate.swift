import Foundation
import GraphQL
import OrderedCollections

/// Realistic orders on request (`POST /admin/orders/generate`): German, Austrian and Swiss
/// customers, some companies, one to four lines of the shop's own SKUs, line discounts,
/// shipping, taxes and a payment; the same seed gives the same orders.
extension ShopState {
    /// `{"count": 100, "seed": 1, "financialStatus": "PAID"}`; answers the created orders.
    func generateOrders(_ json: Map) throws(SeedError) -> [OrderRecord] {
        let count = json["count"].int ?? 1
        guard count > 0, count <= 100_000 else { throw SeedError(description: "count must be 1 to 100000") }
        var random = SeededRandom(seed: UInt64(json["seed"].int ?? 1))
        let financial = json["financialStatus"].string ?? "PAID"
        let catalogue = variants.values.compactMap { variant in variant.sku.map { ($0, Decimal(string: variant.price, locale: Locale(identifier: "en_US_POSIX")) ?? 10) } }.sorted { $0.0 < $1.0 }
        var created: [OrderRecord] = []
        for _ in 0..<count {
            let first = Self.firstNames[random.below(Self.firstNames.count)]
            let last = Self.lastNames[random.below(Self.lastNames.count)]
            let (country, zip, city) = Self.places[random.below(Self.places.count)]
            let company: String? = random.below(4) == 0 ? "\(last) \(["GmbH", "KG", "AG", "e.K."][random.below(4)])" : nil
            let street = "\(Self.streets[random.below(Self.streets.count)]) \(1 + random.below(120))\(random.below(6) == 0 ? "a" : "")"
            let email = "\(first.lowercased()).\(last.lowercased())\(random.below(1000))@example.com".folding(options: .diacriticInsensitive, locale: nil)
            let address: Map = .dictionary([
                "firstName": .string(first), "lastName": .string(last), "company": company.map(Map.string) ?? .null, "address1": .string(street),
                "zip": .string(zip), "city": .string(city), "countryCodeV2": .string(country),
            ])
            var lines: [Map] = []
            for _ in 0..<(1 + random.below(4)) {
                let sku: String
                let price: Decimal
                if catalogue.isEmpty {
                    sku = "SKU-\(10000 + random.below(90000))"
                    price = Decimal(499 + random.below(20000)) / 100
                } else {
                    (sku, price) = catalogue[random.below(catalogue.count)]
                }
                let quantity = 1 + random.below(3)
                let discount = random.below(5) == 0 ? price * Decimal(quantity) / 10 : 0
                lines.append(.dictionary([
                    "sku": .string(sku), "quantity": .int(quantity), "price": .string(Self.format(price)), "discount": .string(Self.format(discount)),
                    "taxRate": .string(random.below(8) == 0 ? "0.07" : "0.19"),
                ]))
            }
            let shipping: Map = .dictionary(["title": .string("DHL Paket"), "code": .string("DHL"), "price": .string("4.90"), "taxRate": .string("0.19")])
            let order = try createOrder(.dictionary([
                "email": .string(email), "customer": .dictionary(["email": .string(email), "firstName": .string(first), "lastName": .string(last)]),
                "financialStatus": .string(financial), "paymentGateway": .string(["shopify_payments", "paypal", "Rechnung", "Vorkasse"][random.below(4)]),
                "lineItems": .array(lines), "shippingLines": .array([shipping]), "shippingAddress": address, "billingAddress": address,
            ]))
            created.append(order)
        }
        return created
    }

    static let firstNames = ["Anna", "Jonas", "Lea", "Lukas", "Marie", "Felix", "Sophie", "Paul", "Jürgen", "Ömer", "Zoë", "Klaus"]
    static let lastNames = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Schäfer"]
    static let streets = ["Hauptstraße", "Bahnhofstr.", "Am Markt", "Lindenweg", "Schillerstraße", "Gartenstraße", "Kirchplatz"]
    static let places = [
        ("DE", "20095", "Hamburg"), ("DE", "80331", "München"), ("DE", "50667", "Köln"), ("DE", "01067", "Dresden"),
        ("AT", "1010", "Wien"), ("CH", "8001", "Zürich"),
    ]
}

/// SplitMix64: small, fast and the same on every machine.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
