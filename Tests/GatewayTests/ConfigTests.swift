import Formats
import Gateway
import HafenTesting
import Testing

@Suite struct ConfigTests {
    func parse(_ yaml: String) throws(ConfigError) -> GatewayConfig {
        try ConfigLoader.parse(yaml, file: "hafen.yaml", root: SharedFolder.projectRoot)
    }

    @Test func namesTheKeyAndLineOfAnUnknownSettingWithASuggestion() {
        let yaml = "flows:\n  stock:\n    source: inbox/stock/*.csv\n    schema: schemas/stock.schema.json\n    setle: 2s\n"
        #expect(throws: ConfigError.self) { try parse(yaml) }
        do { _ = try parse(yaml) } catch {
            #expect(error.description == "hafen.yaml:5: flows.stock.setle: unknown setting; did you mean settle?")
        }
    }

    @Test func namesTheLineOfABadValue() {
        let yaml = "flows:\n  stock:\n    source: inbox/stock/*.csv\n    schema: schemas/stock.schema.json\n    dialect:\n      encoding: ebcdic\n"
        do {
            _ = try parse(yaml)
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 6)
            #expect(error.key == "flows.stock.dialect.encoding")
        }
    }

    @Test func reportsABrokenSchemaAsAConfigError() {
        let yaml = "flows:\n  stock:\n    source: inbox/stock/*.csv\n    schema: schemas/missing.json\n"
        do {
            _ = try parse(yaml)
            Issue.record("expected an error")
        } catch {
            #expect(error.key == "flows.stock.schema")
            #expect(error.line == 4)
        }
    }

    @Test func readsTheDemoConfiguration() throws {
        let config = try ConfigLoader.load(path: SharedFolder.projectRoot + "/hafen.yaml")
        #expect(config.flows.map(\.name) == ["products", "stock"])
        #expect(config.flow(named: "stock")?.onError == .skipRows)
        #expect(config.flow(named: "stock")?.glob == "*.csv")
        #expect(config.flow(named: "products")?.dialect.encoding == .windows1252)
    }
}

