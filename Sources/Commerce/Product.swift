/// A product as the shop shows it: texts, classification, status, and its variants.
public struct Product: Sendable, Hashable, Codable {
    /// The product's stable key in the shop (Shopify's handle).
    public var handle: String
    public var title: Patch<String>
    public var descriptionHTML: Patch<String>
    public var vendor: Patch<String>
    public var productType: Patch<String>
    public var tags: Patch<[String]>
    public var status: Patch<ProductStatus>
    public var seoTitle: Patch<String>
    public var seoDescription: Patch<String>
    public var imageURLs: Patch<[String]>
    public var collections: Patch<[String]>
    /// Option names (`["Farbe", "Größe"]`); each variant has one value per name.
    public var optionNames: [String]
    public var variants: [Variant]

    public init(
        handle: String, title: Patch<String> = .keep, descriptionHTML: Patch<String> = .keep, vendor: Patch<String> = .keep,
        productType: Patch<String> = .keep, tags: Patch<[String]> = .keep, status: Patch<ProductStatus> = .keep,
        seoTitle: Patch<String> = .keep, seoDescription: Patch<String> = .keep, imageURLs: Patch<[String]> = .keep,
        collections: Patch<[String]> = .keep, optionNames: [String] = [], variants: [Variant] = []
    ) {
        self.handle = handle
        self.title = title
        self.descriptionHTML = descriptionHTML
        self.vendor = vendor
        self.productType = productType
        self.tags = tags
        self.status = status
        self.seoTitle = seoTitle
        self.seoDescription = seoDescription
        self.imageURLs = imageURLs
        self.collections = collections
        self.optionNames = optionNames
        self.variants = variants
    }

    enum CodingKeys: String, CodingKey {
        case handle, title, descriptionHTML = "description_html", vendor, productType = "product_type", tags, status
        case seoTitle = "seo_title", seoDescription = "seo_description", imageURLs = "images", collections
        case optionNames = "option_names", variants
    }
}
