import Foundation
import HafenTesting
import Shops
import Testing

@Suite struct ShopifyDocumentTests {
    @Test func everyDocumentLoadsAndNamesItsOperation() throws {
        for document in ShopifyDocument.allCases {
            let text = try document.text
            #expect(
                text.contains("query \(document.rawValue)(") || text.contains("mutation \(document.rawValue)(") || text.contains("query \(document.rawValue) {"),
                "\(document)")
        }
        #expect(try ShopifyDocument.inventorySetQuantities.text.contains("@idempotent(key: $key)"))
    }

    /// Every document validates against Shopify's real 2026-07 schema, with Shopify's own
    /// runtime rules (@idempotent, changeFromQuantity, page sizes), by the checker in ../shared.
    @Test(.enabled(if: SharedFolder.testsEnabled, "../shared is absent; set HAFEN_SHARED or run in CI"))
    func everyDocumentValidatesAgainstTheRealSchema() throws {
        let python = TestPython.path
        let result = try ProcessRunner.run(python, [
            SharedFolder.file("shopify/validate_operations.py"), SharedFolder.file("shopify/admin-2026-07.graphql"),
            SharedFolder.projectRoot + "/Sources/Shops/Shopify/GraphQL",
        ], in: SharedFolder.projectRoot)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let files = Set(ShopifyDocument.allCases.map(\.file))
        #expect(result.stdout.hasSuffix("\(files.count) passed, 0 failed\n"), "\(result.stdout)")
    }
}
