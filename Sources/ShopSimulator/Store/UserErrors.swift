/// A `userErrors` entry: the input path, Shopify's message and code.
func userError(_ field: [String]?, _ message: String, code: String?) -> [String: any Sendable] {
    ["field": field, "message": message, "code": code]
}
