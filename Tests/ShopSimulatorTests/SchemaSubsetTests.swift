import Foundation
import HafenTesting
import Testing

@Suite struct SchemaSubsetTests {
    /// Every type, field, argument, input field and enum value of the simulator's SDL exists with
    /// the identical type in Shopify's real 2026-07 schema (checked with graphql-core).
    @Test(.enabled(if: SharedFolder.testsEnabled, "../shared is absent; set HAFEN_SHARED or run in CI"))
    func subsetMatchesShopifysRealSchema() throws {
        let python = TestPython.path
        let result = try ProcessRunner.run(python, [
            SharedFolder.projectRoot + "/Tests/ShopSimulatorTests/check_schema_subset.py",
            SharedFolder.projectRoot + "/Sources/ShopSimulator/Schema/admin-2026-07-subset.graphql",
            SharedFolder.file("shopify/admin-2026-07.graphql"),
        ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(" 0 differences"), "\(result.stdout)")
    }

    /// The checker is not a rubber stamp: a changed field type and an invented enum value are found.
    @Test(.enabled(if: SharedFolder.testsEnabled, "../shared is absent; set HAFEN_SHARED or run in CI"))
    func checkerFindsADifferentFieldTypeAndAnUnknownEnumValue() throws {
        let python = TestPython.path
        let directory = try TemporaryDirectory()
        var sdl = try String(contentsOfFile: SharedFolder.projectRoot + "/Sources/ShopSimulator/Schema/admin-2026-07-subset.graphql", encoding: .utf8)
        sdl = sdl.replacingOccurrences(of: "  handle: String!\n", with: "  handle: String\n")
        sdl = sdl.replacingOccurrences(of: "  INVALID_NAME\n", with: "  INVALID_NAME\n  MADE_UP\n")
        try sdl.write(toFile: directory.file("bad.graphql"), atomically: true, encoding: .utf8)
        let result = try ProcessRunner.run(python, [
            SharedFolder.projectRoot + "/Tests/ShopSimulatorTests/check_schema_subset.py", directory.file("bad.graphql"),
            SharedFolder.file("shopify/admin-2026-07.graphql"),
        ])
        #expect(result.status == 1)
        #expect(result.stdout.contains("field Product.handle: String here, String! there"), "\(result.stdout)")
        #expect(result.stdout.contains("enum InventorySetQuantitiesUserErrorCode.MADE_UP: not in the full schema"), "\(result.stdout)")
    }
}
