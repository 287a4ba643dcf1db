/// A postal address as the shop keeps it.
public struct Address: Sendable, Hashable, Codable {
    public var firstName: String?
    public var lastName: String?
    public var company: String?
    /// Street and house number in one (`Hauptstraße 5a`), as shops store them.
    public var address1: String?
    public var address2: String?
    public var zip: String?
    public var city: String?
    /// ISO 3166-1 alpha-2 (`DE`).
    public var countryCode: String?
    public var phone: String?

    public init(
        firstName: String? = nil, lastName: String? = nil, company: String? = nil, address1: String? = nil, address2: String? = nil,
        zip: String? = nil, city: String? = nil, countryCode: String? = nil, phone: String? = nil
    ) {
        self.firstName = firstName
        self.lastName = lastName
        self.company = company
        self.address1 = address1
        self.address2 = address2
        self.zip = zip
        self.city = city
        self.countryCode = countryCode
        self.phone = phone
    }

    /// First and last name joined.
    public var name: String { [firstName, lastName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ") }
}
