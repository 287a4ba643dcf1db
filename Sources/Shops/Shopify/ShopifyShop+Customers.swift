public import Commerce
public import Foundation

/// Reading customers for export (`Customers.graphql`): pages changed in a window, oldest change
/// first, and single customers by id.
extension ShopifyShop {
    /// Customers per page, and the published cost model's price of one (with its address).
    static let customersPerPage = 100
    static let customerCost = 9.0

    struct CustomerNode: Decodable, Sendable {
        struct Email: Decodable, Sendable {
            var emailAddress: String?
        }

        struct Phone: Decodable, Sendable {
            var phoneNumber: String?
        }

        struct Money: Decodable, Sendable {
            var amount: String
        }

        var id: String
        var firstName: String?
        var lastName: String?
        var createdAt: String
        var updatedAt: String
        var defaultEmailAddress: Email?
        var defaultPhoneNumber: Phone?
        var defaultAddress: OrderNode.AddressNode?
        var tags: [String]
        var note: String?
        var taxExempt: Bool
        var locale: String?
        var state: String?
        /// `UnsignedInt64`: a string in JSON.
        var numberOfOrders: String?
        var amountSpent: Money?

        func customer(shop: String) throws(ShopError) -> Customer {
            func date(_ text: String, _ field: String) throws(ShopError) -> Date {
                guard let value = ShopTime.date(text) else { throw .invalidCall(shop: shop, detail: "customer \(id): \(field) \(text) is not a time") }
                return value
            }
            let address = defaultAddress.map {
                Address(
                    firstName: $0.firstName, lastName: $0.lastName, company: $0.company, address1: $0.address1, address2: $0.address2, zip: $0.zip,
                    city: $0.city, countryCode: $0.countryCodeV2, phone: $0.phone)
            }
            return Customer(
                id: id, email: defaultEmailAddress?.emailAddress, firstName: firstName, lastName: lastName, phone: defaultPhoneNumber?.phoneNumber,
                createdAt: try date(createdAt, "createdAt"), updatedAt: try date(updatedAt, "updatedAt"), address: address, tags: tags, note: note,
                taxExempt: taxExempt, locale: locale, orderCount: numberOfOrders.flatMap { Int($0) },
                amountSpent: amountSpent.flatMap { Decimal(string: $0.amount, locale: Locale(identifier: "en_US_POSIX")) }, state: state)
        }
    }

    private struct CustomersAnswer: Decodable, Sendable {
        var customers: ConnectionAnswer<CustomerNode>
    }

    private struct CustomerAnswer: Decodable, Sendable {
        var customer: CustomerNode?
    }

    public func customersUpdated(from: Date, to: Date?, after: String?) async throws(ShopError) -> CustomerPage {
        let answer = try await client.send(
            .customersUpdated, variables: WindowVariables(first: Self.customersPerPage, after: after, query: Self.search(from: from, to: to)),
            estimatedCost: 3 + Double(Self.customersPerPage) * Self.customerCost, safeToRepeat: true, as: CustomersAnswer.self)
        guard let connection = answer.data?.customers else { throw .invalidCall(shop: name, detail: "customers: no data in the answer") }
        var customers: [Customer] = []
        for node in connection.nodes { customers.append(try node.customer(shop: name)) }
        return CustomerPage(customers: customers, next: connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : nil)
    }

    public func customer(id: String) async throws(ShopError) -> Customer? {
        let answer = try await client.send(
            .customerByID, variables: IDVariables(id: id), estimatedCost: Self.customerCost, safeToRepeat: true, as: CustomerAnswer.self)
        return try answer.data?.customer?.customer(shop: name)
    }
}
