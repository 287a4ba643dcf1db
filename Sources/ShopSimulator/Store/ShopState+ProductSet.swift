import Foundation
import GraphQL
import OrderedCollections

/// `productSet` with Shopify's semantics: `identifier.id` updates, `identifier.handle` creates
/// or updates; scalar fields change only when present; `productOptions`, `variants` and `tags`
/// replace the whole list (variants left out are deleted). Variants are matched to existing
/// ones by id, then SKU, then option values, so their inventory items and stock survive.
/// Input problems come back as `userErrors` with Shopify's codes and nothing is changed.
extension ShopState {
    func productSet(identifier: Map, input: Map) -> [String: any Sendable] {
        var errors: [[String: any Sendable]] = []
        func fail(_ field: [String], _ message: String, _ code: String) { errors.append(userError(field, message, code: code)) }

        if identifier["id"].string != nil || identifier["handle"].string != nil, input["id"].string != nil {
            fail(["input", "id"], "The id field is not allowed if identifier is provided.", "ID_NOT_ALLOWED")
        }
        var existing: ProductRecord?
        if let gid = identifier["id"].string ?? input["id"].string {
            guard let id = GID.number(gid, type: "Product"), let product = products[id] else {
                return failure([userError(["identifier", "id"], "Product does not exist", code: "PRODUCT_DOES_NOT_EXIST")])
            }
            existing = product
        } else if let handle = identifier["handle"].string {
            existing = productByHandle[handle].flatMap { products[$0] }
        }

        let title = input["title"].string
        if existing == nil && (title ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            fail(["input", "title"], "Title can't be blank", "INVALID_PRODUCT")
        }
        if let title, title.count > 255 { fail(["input", "title"], "Title is too long (maximum is 255 characters)", "INVALID_PRODUCT") }
        let handle = input["handle"].string ?? existing?.handle ?? identifier["handle"].string ?? Self.handle(from: title ?? "")
        if handle.count > 255 { fail(["input", "handle"], "Handle is too long (maximum is 255 characters)", "INVALID_PRODUCT") }
        if let owner = productByHandle[handle], owner != existing?.id {
            fail(["input", "handle"], "Handle '\(handle)' already in use. Please provide a new handle.", "HANDLE_NOT_UNIQUE")
        }

        for (index, file) in (input["files"].array ?? []).enumerated() {
            let source = file["originalSource"].string ?? ""
            guard let url = URL(string: source), url.scheme == "https" || url.scheme == "http", url.host != nil else {
                fail(["input", "files", String(index), "originalSource"], "Image URL is invalid", "INVALID_INPUT")
                continue
            }
        }
        var options = existing?.options ?? []
        if let optionInputs = input["productOptions"].array {
            options = []
            for (index, option) in optionInputs.enumerated() {
                let name = option["name"].string ?? ""
                let values = (option["values"].array ?? []).compactMap { $0["name"].string }
                if name.isEmpty { fail(["input", "productOptions", String(index), "name"], "Option name can't be blank", "INVALID_INPUT") }
                if options.contains(where: { $0.name == name }) {
                    fail(["input", "productOptions", String(index), "name"], "Duplicated option name '\(name)'.", "DUPLICATED_OPTION_NAME")
                }
                if Set(values).count != values.count {
                    fail(["input", "productOptions", String(index), "values"], "Duplicated option value.", "DUPLICATED_OPTION_VALUE")
                }
                if values.isEmpty { fail(["input", "productOptions", String(index), "values"], "Option values can't be empty", "OPTION_VALUES_MISSING") }
                options.append(OptionRecord(id: existing?.options.first { $0.name == name }?.id ?? nextID(), name: name, values: values))
            }
        }

        let variantInputs = input["variants"].array
        if let variantInputs, !variantInputs.isEmpty, input["productOptions"].array == nil {
            fail(["input", "productOptions"], "Product options input is required when updating variants.", "PRODUCT_OPTIONS_INPUT_MISSING")
        }
        var planned: [(input: Map, options: [(name: String, value: String)])] = []
        var combinations = Set<[String]>()
        for (index, variant) in (variantInputs ?? []).enumerated() {
            let path = ["input", "variants", String(index)]
            var selected: [(name: String, value: String)] = []
            for value in variant["optionValues"].array ?? [] {
                let optionName = value["optionName"].string
                    ?? value["optionId"].string.flatMap { gid in options.first { GID.make("ProductOption", $0.id) == gid }?.name } ?? ""
                guard let option = options.first(where: { $0.name == optionName }) else {
                    fail(path + ["optionValues"], "Option '\(optionName)' does not exist.", "OPTION_DOES_NOT_EXIST")
                    continue
                }
                let name = value["name"].string ?? ""
                if !option.values.contains(name) {
                    fail(path + ["optionValues"], "Option value '\(name)' does not exist for option '\(optionName)'.", "INVALID_VARIANT")
                }
                selected.append((optionName, name))
            }
            if !options.isEmpty && selected.count != options.count {
                fail(path + ["optionValues"], "The variant must have a value for every option.", "INVALID_VARIANT")
            }
            let ordered = options.compactMap { option in selected.first { $0.name == option.name } }
            if !combinations.insert(ordered.map(\.value)).inserted {
                fail(path, "The variant '\(ordered.map(\.value).joined(separator: " / "))' already exists.", "INVALID_VARIANT")
            }
            if let price = Self.money(variant["price"]), price < 0 { fail(path + ["price"], "Price must be greater than or equal to 0", "INVALID_VARIANT") }
            if variant["price"].isString || variant["price"].isNumber, Self.money(variant["price"]) == nil {
                fail(path + ["price"], "Price is not a valid amount", "INVALID_VARIANT")
            }
            if let sku = variant["sku"].string ?? variant["inventoryItem"]["sku"].string, sku.count > 255 {
                fail(path + ["sku"], "SKU is too long (maximum is 255 characters)", "INVALID_VARIANT")
            }
            if let barcode = variant["barcode"].string, barcode.count > 255 {
                fail(path + ["barcode"], "Barcode is too long (maximum is 255 characters)", "INVALID_VARIANT")
            }
            if let weight = variant["inventoryItem"]["measurement"]["weight"]["value"].double, weight < 0 {
                fail(path + ["inventoryItem", "measurement", "weight", "value"], "Weight must be greater than or equal to 0", "INVALID_VARIANT")
            }
            planned.append((variant, ordered))
        }
        guard errors.isEmpty else { return failure(errors) }

        var product = existing ?? ProductRecord(id: nextID(), handle: handle, title: title ?? "")
        if let old = existing?.handle, old != handle { productByHandle[old] = nil }
        product.handle = handle
        if let title { product.title = title }
        if let text = input["descriptionHtml"].string { product.descriptionHtml = text }
        if let text = input["vendor"].string { product.vendor = text }
        if let text = input["productType"].string { product.productType = text }
        if let tags = input["tags"].array { product.tags = tags.compactMap(\.string) }
        if let files = input["files"].array {
            product.imageSources = files.compactMap { $0["originalSource"].string }
            product.imageSets += 1
        }
        if let status = input["status"].string { product.status = status }
        if input.has("seo") {
            product.seoTitle = input["seo"]["title"].string
            product.seoDescription = input["seo"]["description"].string
        }
        product.options = options
        if variantInputs != nil || existing == nil {
            if planned.isEmpty {
                // A product without variants gets Shopify's single default variant.
                product.options = options.isEmpty ? [OptionRecord(id: nextID(), name: "Title", values: ["Default Title"])] : options
                planned = [(Map.dictionary([:]), [("Title", "Default Title")])]
            }
            product.variantIDs = applyVariants(planned, to: product)
        }
        products[product.id] = product
        productByHandle[product.handle] = product.id
        return ["product": productNode(product), "userErrors": [[String: any Sendable]]()]
    }

    private func failure(_ errors: [[String: any Sendable]]) -> [String: any Sendable] {
        ["product": nil as (any Sendable)?, "userErrors": errors]
    }

    /// Replaces a product's variants: matched ones are updated in place, new ones get an
    /// inventory item stocked (at 0, or the given quantities) at every active location, and
    /// variants left out are deleted with their stock.
    private func applyVariants(_ planned: [(input: Map, options: [(name: String, value: String)])], to product: ProductRecord) -> [Int] {
        var remaining = product.variantIDs.compactMap { variants[$0] }
        var ids: [Int] = []
        for (input, selected) in planned {
            let sku = input["sku"].string ?? input["inventoryItem"]["sku"].string
            let matchIndex = remaining.firstIndex { variant in
                if let gid = input["id"].string { return GID.make("ProductVariant", variant.id) == gid }
                if let sku, !sku.isEmpty { return variant.sku == sku }
                return variant.selectedOptions.map(\.value) == selected.map(\.value)
            }
            var variant: VariantRecord
            if let matchIndex {
                variant = remaining.remove(at: matchIndex)
            } else {
                variant = VariantRecord(id: nextID(), productID: product.id, inventoryItemID: nextID())
                variantByItem[variant.inventoryItemID] = variant.id
                levels[variant.inventoryItemID] = Dictionary(uniqueKeysWithValues: locations.filter(\.isActive).map { ($0.id, LevelRecord(available: 0)) })
            }
            variant.selectedOptions = selected
            if input.has("sku") || input["inventoryItem"].has("sku") { variant.sku = sku }
            if input.has("barcode") { variant.barcode = input["barcode"].string }
            if let price = Self.money(input["price"]) { variant.price = Self.format(price) }
            if input.has("compareAtPrice") { variant.compareAtPrice = Self.money(input["compareAtPrice"]).map(Self.format) }
            if let taxable = input["taxable"].bool { variant.taxable = taxable }
            if let policy = input["inventoryPolicy"].string { variant.inventoryPolicy = policy }
            if let tracked = input["inventoryItem"]["tracked"].bool { variant.tracked = tracked }
            let weight = input["inventoryItem"]["measurement"]["weight"]
            if let value = weight["value"].double, let unit = weight["unit"].string { variant.weight = (value, unit) }
            for quantity in input["inventoryQuantities"].array ?? [] {
                guard let location = quantity["locationId"].string.flatMap({ self.location(gid: $0) }) else { continue }
                levels[variant.inventoryItemID, default: [:]][location.id] = LevelRecord(available: quantity["quantity"].int ?? 0)
            }
            variants[variant.id] = variant
            ids.append(variant.id)
        }
        for gone in remaining {
            variants[gone.id] = nil
            variantByItem[gone.inventoryItemID] = nil
            levels[gone.inventoryItemID] = nil
        }
        return ids
    }

    /// Shopify's handle rule: lower case, runs of other characters become one '-'.
    static func handle(from title: String) -> String {
        var out = ""
        for scalar in title.lowercased().unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII {
                out.unicodeScalars.append(scalar)
            } else if !out.hasSuffix("-") && !out.isEmpty {
                out.append("-")
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "product" : out
    }

    /// A `Money` input: a decimal string such as "12.50" (or a number).
    static func money(_ value: Map) -> Decimal? {
        if let text = value.string { return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) }
        if let number = value.double { return Decimal(number) }
        return nil
    }

    static func format(_ amount: Decimal) -> String {
        var value = amount
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .bankers)
        let text = "\(rounded)"
        guard let dot = text.firstIndex(of: ".") else { return text + ".00" }
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        return decimals >= 2 ? text : text + String(repeating: "0", count: 2 - decimals)
    }
}
