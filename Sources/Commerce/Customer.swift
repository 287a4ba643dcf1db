public import Foundation

/// A shop customer: who buys, how to reach them, and where they live by default.
public struct Customer: Sendable, Hashable, Codable {
    public var id: String
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    public var phone: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// The default address (nil when the shop has none, or it was not read).
    public var address: Address?
    public var tags: [String]
    public var note: String?
    public var taxExempt: Bool
    /// The customer's language, e.g. `de`.
    public var locale: String?
    /// Orders placed so far, and what they spent (nil when not read).
    public var orderCount: Int?
    public var amountSpent: Decimal?
    /// `ENABLED`, `DISABLED`, `INVITED`, `DECLINED`.
    public var state: String?

    public init(
        id: String, email: String?, firstName: String?, lastName: String?, phone: String? = nil, createdAt: Date, updatedAt: Date,
        address: Address? = nil, tags: [String] = [], note: String? = nil, taxExempt: Bool = false, locale: String? = nil, orderCount: Int? = nil,
        amountSpent: Decimal? = nil, state: String? = nil
    ) {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.address = address
        self.tags = tags
        self.note = note
        self.taxExempt = taxExempt
        self.locale = locale
        self.orderCount = orderCount
        self.amountSpent = amountSpent
        self.state = state
    }

    /// First and last name, else the address's name, else the e-mail address.
    public var displayName: String {
        let name = [firstName, lastName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        if !name.isEmpty { return name }
        return address?.name ?? email ?? id
    }
}
