import Commerce

extension OrderFilter {
    /// Why the filter leaves `order` out, or nil when it takes it. Without `payment`, the
    /// financial status is not looked at (refunds come from refunded orders).
    func rejection(of order: Order, payment: Bool = true) -> String? {
        let financial = (order.financialStatus ?? "").lowercased()
        if payment, !financialStatus.contains(financial) { return "financial status \(financial.isEmpty ? "none" : financial)" }
        if let wanted = fulfillmentStatus, !wanted.contains(order.fulfillmentStatus.lowercased()) {
            return "fulfilment status \(order.fulfillmentStatus.lowercased())"
        }
        if payment, !cancelled, order.cancelledAt != nil { return "cancelled" }
        if !test, order.test { return "test order" }
        if let channels, !channels.contains((order.sourceName ?? "").lowercased()) { return "sales channel \(order.sourceName ?? "none")" }
        if let countries = shippingCountries, !countries.contains((order.shippingAddress?.countryCode ?? "").uppercased()) {
            return "shipping country \(order.shippingAddress?.countryCode ?? "none")"
        }
        let orderTags = Set(order.tags.map { $0.lowercased() })
        if let tags, orderTags.isDisjoint(with: tags) { return "none of the tags \(tags.sorted().joined(separator: ", "))" }
        if let excluded = orderTags.intersection(excludeTags).first { return "tag \(excluded)" }
        return nil
    }

    /// Why the filter leaves a customer out (`kind: customers`): tags, the default address's
    /// country (`shipping_country`), `min_orders`.
    func rejection(of customer: Customer) -> String? {
        if let countries = shippingCountries, !countries.contains((customer.address?.countryCode ?? "").uppercased()) {
            return "country \(customer.address?.countryCode ?? "none")"
        }
        if minOrders > 0, (customer.orderCount ?? 0) < minOrders { return "\(customer.orderCount ?? 0) orders, fewer than \(minOrders)" }
        let customerTags = Set(customer.tags.map { $0.lowercased() })
        if let tags, customerTags.isDisjoint(with: tags) { return "none of the tags \(tags.sorted().joined(separator: ", "))" }
        if let excluded = customerTags.intersection(excludeTags).first { return "tag \(excluded)" }
        return nil
    }
}
