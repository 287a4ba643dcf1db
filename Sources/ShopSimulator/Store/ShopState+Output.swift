/// The simulated objects as the nested dictionaries GraphQLSwift's default resolver reads; the
/// executor then keeps only what the query selected. Fields with arguments (`inventoryLevel`,
/// `quantities`, `variants(first:)`) read the `_`-prefixed entries through their own resolvers.
extension ShopState {
    func locationFields(_ location: LocationRecord) -> [String: any Sendable] {
        ["id": GID.make("Location", location.id), "name": location.name, "isActive": location.isActive]
    }

    /// A product without its variants (as nested under a variant).
    func productFields(_ product: ProductRecord) -> [String: any Sendable] {
        [
            "id": GID.make("Product", product.id), "handle": product.handle, "title": product.title,
            "descriptionHtml": product.descriptionHtml, "vendor": product.vendor, "productType": product.productType,
            "tags": product.tags, "status": product.status,
            "seo": ["title": product.seoTitle, "description": product.seoDescription] as [String: any Sendable],
            "options": product.options.enumerated().map { index, option -> [String: any Sendable] in
                ["id": GID.make("ProductOption", option.id), "name": option.name, "position": index + 1, "values": option.values]
            },
        ]
    }

    /// A product with its variants, each with its inventory item.
    func productNode(_ product: ProductRecord) -> [String: any Sendable] {
        var fields = productFields(product)
        let shallow = fields
        fields["_variants"] = product.variantIDs.compactMap { variants[$0] }.map { variantNode($0, product: shallow) }
        return fields
    }

    /// A variant with its product (without the product's variants) and inventory item.
    func variantNode(_ variant: VariantRecord, product: [String: any Sendable]? = nil) -> [String: any Sendable] {
        var fields = variantFields(variant)
        fields["product"] = product ?? products[variant.productID].map(productFields)
        fields["inventoryItem"] = inventoryItemNode(variant)
        return fields
    }

    func variantFields(_ variant: VariantRecord) -> [String: any Sendable] {
        let position = products[variant.productID].flatMap { $0.variantIDs.firstIndex(of: variant.id) }.map { $0 + 1 } ?? 1
        let title = variant.selectedOptions.map(\.value).joined(separator: " / ")
        return [
            "id": GID.make("ProductVariant", variant.id), "sku": variant.sku, "barcode": variant.barcode, "price": variant.price,
            "compareAtPrice": variant.compareAtPrice, "taxable": variant.taxable, "inventoryPolicy": variant.inventoryPolicy,
            "position": position, "title": title.isEmpty ? "Default Title" : title,
            "inventoryQuantity": levels[variant.inventoryItemID]?.values.reduce(0) { $0 + $1.available } ?? 0,
            "selectedOptions": variant.selectedOptions.map { ["name": $0.name, "value": $0.value] as [String: any Sendable] },
        ]
    }

    func inventoryItemNode(_ variant: VariantRecord) -> [String: any Sendable] {
        var byLocation: [String: any Sendable] = [:]
        for (locationID, level) in levels[variant.inventoryItemID] ?? [:] {
            guard let location = locations.first(where: { $0.id == locationID }) else { continue }
            byLocation[GID.make("Location", locationID)] = [
                "id": "gid://shopify/InventoryLevel/\(variant.inventoryItemID)?inventory_item_id=\(variant.inventoryItemID)&location_id=\(locationID)",
                "isActive": true, "location": locationFields(location),
                "_quantities": ["available": level.available, "on_hand": level.onHand, "committed": level.committed],
            ] as [String: any Sendable]
        }
        let weight: [String: any Sendable]? = variant.weight.map { ["value": $0.value, "unit": $0.unit] }
        return [
            "id": GID.make("InventoryItem", variant.inventoryItemID), "sku": variant.sku, "tracked": variant.tracked,
            "measurement": ["id": GID.make("InventoryItemMeasurement", variant.inventoryItemID), "weight": weight] as [String: any Sendable],
            "_levels": byLocation,
        ]
    }
}
