public import Foundation

/// A shop customer.
public struct Customer: Sendable, Hashable, Codable {
    public var id: String
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    public var phone: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, email: String?, firstName: String?, lastName: String?, phone: String? = nil, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
