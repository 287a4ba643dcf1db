import Commerce
import Foundation

/// `productSet` variables built from a canonical product: fields the mapping left at `.keep`
/// are not sent (Shopify keeps them), `.clear` sends null or an empty value; options and
/// variants always go whole, as productSet replaces those lists.
struct ProductSetVariables: Encodable, Sendable {
    struct Identifier: Encodable, Sendable {
        var handle: String
    }

    var identifier: Identifier
    var input: [String: JSONInput]

    init(_ product: Product) {
        identifier = Identifier(handle: product.handle)
        var input: [String: JSONInput] = ["handle": .string(product.handle)]
        func put(_ key: String, _ patch: Patch<String>) {
            switch patch {
            case .keep: break
            case .clear: input[key] = .string("")
            case .set(let value): input[key] = .string(value)
            }
        }
        put("title", product.title)
        put("descriptionHtml", product.descriptionHTML)
        put("vendor", product.vendor)
        put("productType", product.productType)
        switch product.tags {
        case .keep: break
        case .clear: input["tags"] = .array([])
        case .set(let tags): input["tags"] = .array(tags.map(JSONInput.string))
        }
        if let status = product.status.value { input["status"] = .string(status.rawValue.uppercased()) }
        switch product.imageURLs {
        case .keep: break
        case .clear: input["files"] = .array([])
        case .set(let urls):
            input["files"] = .array(urls.map { .object(["originalSource": .string($0), "contentType": .string("IMAGE")]) })
        }
        if product.seoTitle != .keep || product.seoDescription != .keep {
            input["seo"] = .object([
                "title": product.seoTitle.value.map(JSONInput.string) ?? .null,
                "description": product.seoDescription.value.map(JSONInput.string) ?? .null,
            ])
        }
        // A product without variants (a status change) leaves options and variants alone;
        // otherwise both go whole. Without options Shopify's single variant hangs off "Title".
        guard !product.variants.isEmpty else {
            self.input = input
            return
        }
        // Without options Shopify's single variant hangs off the option "Title".
        let names = product.optionNames.isEmpty ? ["Title"] : product.optionNames
        let valuesPerOption = names.indices.map { index -> [String] in
            var seen: [String] = []
            for variant in product.variants {
                let value = product.optionNames.isEmpty ? "Default Title" : (index < variant.optionValues.count ? variant.optionValues[index] : "")
                if !seen.contains(value) { seen.append(value) }
            }
            return seen
        }
        input["productOptions"] = .array(zip(names, valuesPerOption).map { name, values in
            .object(["name": .string(name), "values": .array(values.map { .object(["name": .string($0)]) })])
        })
        input["variants"] = .array(product.variants.map { Self.variant($0, optionNames: product.optionNames) })
        self.input = input
    }

    static func variant(_ variant: Variant, optionNames: [String]) -> JSONInput {
        var fields: [String: JSONInput] = ["sku": .string(variant.sku)]
        if optionNames.isEmpty {
            fields["optionValues"] = .array([.object(["optionName": .string("Title"), "name": .string("Default Title")])])
        } else {
            fields["optionValues"] = .array(zip(optionNames, variant.optionValues).map { .object(["optionName": .string($0), "name": .string($1)]) })
        }
        switch variant.barcode {
        case .keep: break
        case .clear: fields["barcode"] = .null
        case .set(let value): fields["barcode"] = .string(value)
        }
        if let price = variant.price.value { fields["price"] = .string(Self.money(price)) }
        switch variant.compareAtPrice {
        case .keep: break
        case .clear: fields["compareAtPrice"] = .null
        case .set(let value): fields["compareAtPrice"] = .string(Self.money(value))
        }
        if let taxable = variant.taxable.value { fields["taxable"] = .bool(taxable) }
        if let policy = variant.inventoryPolicy.value { fields["inventoryPolicy"] = .string(policy.rawValue) }
        var item: [String: JSONInput] = ["tracked": .bool(true)]
        if let weight = variant.weight.value {
            item["measurement"] = .object(["weight": .object(["value": .number(NSDecimalNumber(decimal: weight.value).doubleValue), "unit": .string(weight.unit.rawValue)])])
        }
        fields["inventoryItem"] = .object(item)
        return .object(fields)
    }

    static func money(_ amount: Decimal) -> String {
        var value = amount
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .plain)
        return "\(rounded)"
    }
}

/// A JSON value to send (input objects are built field by field, so absent and null differ).
enum JSONInput: Encodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case int(Int)
    case string(String)
    case array([JSONInput])
    case object([String: JSONInput])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
