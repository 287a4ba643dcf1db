import Formats
import Foundation
import Gateway
import HafenTesting
import Mapping
import Testing
import Transport

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

    func mappingError(_ map: String) -> ConfigError? {
        let yaml = "flows:\n  stock:\n    source: inbox/stock/*.csv\n    schema: schemas/stock.schema.json\n    map:\n" + map
        do {
            _ = try parse(yaml)
            return nil
        } catch {
            return error
        }
    }

    @Test func namesAnUnknownColumnInAMappingWithItsLineAndASuggestion() {
        let error = mappingError("      to: stock\n      stock:\n        sku: Artikelnumer\n        location: Lager\n        on_hand: Bestand\n")
        #expect(error?.description == "hafen.yaml:8: flows.stock.map.stock.sku: the schema has no column \"Artikelnumer\"; did you mean Artikelnummer? (write names with spaces or symbols in [brackets] inside expressions)")
    }

    @Test func pointsIntoABrokenExpression() {
        let error = mappingError("      to: stock\n      stock:\n        sku: Artikelnummer\n        location: Lager\n        on_hand: \"Bestand - \"\n")
        #expect(error?.line == 10)
        #expect(error?.message == "the expression ends too early (at character 11 of \"Bestand - \")")
    }

    @Test func refusesAMappingWithoutItsKeysOrWithAnUnknownTable() {
        #expect(mappingError("      to: stock\n      stock:\n        sku: Artikelnummer\n        on_hand: Bestand\n")?.key == "flows.stock.map.stock.location")
        #expect(mappingError("      to: products\n      product:\n        title: Lager\n")?.message == "missing: at least variant.sku, the key that finds an article in the shop")
        let table = mappingError("      to: stock\n      tables:\n        lager: {HAUPT: H}\n      stock:\n        sku: Artikelnummer\n        location: {value: Lager, table: lagr}\n        on_hand: Bestand\n")
        #expect(table?.message == "no table \"lagr\" under tables:; did you mean lager?")
        #expect(mappingError("      to: shop\n")?.key == "flows.stock.map.to")
    }

    func shipmentError(_ shipment: String) -> ConfigError? {
        let yaml = "flows:\n  shipments:\n    source: inbox/shipments/*.csv\n    schema: schemas/shipments.schema.json\n    map:\n      to: shipments\n" + shipment
        do {
            _ = try parse(yaml)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsAShipmentMappingAndRefusesHalfAnArticle() throws {
        #expect(shipmentError("      shipment: {order: Auftrag, sku: Artikelnummer, quantity: Menge, tracking_number: Sendungsnummer}\n") == nil)
        #expect(shipmentError("      shipment: {order: Auftrag}\n") == nil)
        #expect(shipmentError("      shipment: {sku: Artikelnummer, quantity: Menge}\n")?.message == "missing: the shop's order number")
        #expect(shipmentError("      shipment: {order: Auftrag, sku: Artikelnummer}\n")?.message == "sku and quantity go together (without both, a row ships the whole order)")
        #expect(shipmentError("      shipment: {order: Auftrag, carrier: Spediteur}\n")?.message.contains("the schema has no column \"Spediteur\"") == true)
        #expect(shipmentError("      shipment: {order: Auftrag}\n      stock: {sku: Artikelnummer}\n")?.key == "flows.shipments.map.stock")
    }

    static let shopYAML = """
        shops:
          main:
            store: example.myshopify.com
            token: env:SHOPIFY_TOKEN
          b2b:
            store: b2b.myshopify.com
            token: file:/etc/hafen/b2b.token
            writes: blocked
        flows:
          stock:
            source: inbox/stock/*.csv
            schema: schemas/stock.schema.json
            shops: [main, b2b]
            map:
              to: stock
              stock: {sku: Artikelnummer, location: Lager, on_hand: Bestand}

        """

    @Test func readsShopsAndWhichFlowsPushToThem() throws {
        let config = try parse(Self.shopYAML)
        #expect(config.shops.map(\.name) == ["main", "b2b"])
        #expect(config.shop(named: "main")?.token == .environment("SHOPIFY_TOKEN"))
        #expect(config.shop(named: "main")?.apiVersion == "2026-07")
        #expect(config.shop(named: "b2b")?.writesEnabled == false)
        #expect(config.flow(named: "stock")?.shops == ["main", "b2b"])
    }

    @Test func readsABulkThresholdTimeoutAndWhatToDoWithUnknownSKUs() throws {
        let yaml = Self.shopYAML
            .replacingOccurrences(of: "    writes: blocked\n", with: "    writes: blocked\n    bulk_threshold: 0\n    timeout: 90s\n")
            .replacingOccurrences(of: "    shops: [main, b2b]\n", with: "    shops: [main, b2b]\n    unknown_skus: skip\n")
        let config = try parse(yaml)
        #expect(config.shop(named: "b2b")?.bulkThreshold == 0)
        #expect(config.shop(named: "b2b")?.timeout == .seconds(90))
        #expect(config.shop(named: "main")?.bulkThreshold == 100)
        #expect(config.shop(named: "main")?.timeout == .seconds(60))
        #expect(config.flow(named: "stock")?.skipUnknownSKUs == true)
        #expect(throws: ConfigError.self) { try parse(yaml.replacingOccurrences(of: "unknown_skus: skip", with: "unknown_skus: ignore")) }
        #expect(throws: ConfigError.self) { try parse(yaml.replacingOccurrences(of: "bulk_threshold: 0", with: "bulk_threshold: many")) }
    }

    @Test func neverRepeatsATokenWrittenIntoTheConfiguration() {
        let yaml = Self.shopYAML.replacingOccurrences(of: "env:SHOPIFY_TOKEN", with: "shpat_0123456789abcdef")
        do {
            _ = try parse(yaml)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "hafen.yaml:4: shops.main.token: must say where the token is kept, env:NAME or file:PATH (never the token itself)")
            #expect(!error.description.contains("shpat_"))
        }
    }

    @Test func namesADuplicateKeyWithItsLineInsteadOfTheFile() {
        let yaml = Self.shopYAML.replacingOccurrences(of: "    writes: blocked\n", with: "    writes: blocked\n    store: other.myshopify.com\n")
        do {
            _ = try parse(yaml)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "hafen.yaml:9: store: the key is written twice in the same mapping (first at line 6); keep one")
            #expect(!error.description.contains("flows:"))
        }
    }

    @Test func acceptsOnlyShopAddressesThatKeepTheTokenSafe() throws {
        func problem(_ store: String) -> String? {
            do {
                _ = try parse(Self.shopYAML.replacingOccurrences(of: "store: example.myshopify.com", with: "store: \(store)"))
                return nil
            } catch {
                return error.description
            }
        }
        for good in ["example.myshopify.com", "https://example.myshopify.com", "https://example.myshopify.com/", "http://127.0.0.1:8787",
                     "http://localhost:9000", "http://[::1]:8080"] {
            #expect(problem(good) == nil, "\(good)")
        }
        #expect(problem("ftp://example.myshopify.com") == "hafen.yaml:3: shops.main.store: ftp:// is not a shop address; give the host name (e.g. example.myshopify.com) or an https:// address")
        #expect(problem("http://shop.example.com")?.hasSuffix("http:// would send the access token in clear text; use https:// (plain http is only for a shop on this machine, such as the simulator)") == true)
        #expect(problem("example.myshopify.com/admin")?.contains("is not a host name") == true)
        #expect(problem("https://example.myshopify.com:http")?.contains("the port must be a number") == true)
    }

    @Test func waitsForWritersUnlessTurnedOff() throws {
        let yaml = "flows:\n  stock:\n    source: inbox/stock/*.csv\n    schema: schemas/stock.schema.json\n"
        #expect(try parse(yaml).flow(named: "stock")?.rules.waitForWriters == true)
        #expect(try parse(yaml + "    wait_for_writers: false\n").flow(named: "stock")?.rules.waitForWriters == false)
        #expect(throws: ConfigError.self) { try parse(yaml + "    wait_for_writers: sometimes\n") }
    }

    @Test func namesAnUnknownShopOfAFlow() {
        do {
            _ = try parse(Self.shopYAML.replacingOccurrences(of: "[main, b2b]", with: "[mian]"))
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "hafen.yaml:13: flows.stock.shops: no shop \"mian\" under shops:; did you mean main?")
        }
    }

    @Test func readsWhatHappensToMissingProducts() throws {
        let flow = "flows:\n  products:\n    source: inbox/p/*.csv\n    schema: schemas/products.schema.json\n    map:\n      to: products\n"
            + "      variant: {sku: Artikelnummer}\n"
        let spec = try #require(try parse(flow + "      missing: archive\n      missing_limit: 5%\n").flow(named: "products")?.mapping)
        #expect(spec.missing == .archive && spec.missingLimit == 0.05)
        #expect(try parse(flow).flow(named: "products")?.mapping?.missing == .keep)
        #expect(throws: ConfigError.self) { try parse(flow + "      missing: delete\n") }
    }

    @Test func acceptsOnlyAShareForTheRowCountValve() {
        let flow = "flows:\n  stock:\n    source: inbox/stock/*.csv\n    schema: schemas/stock.schema.json\n    hold_if_rows_drop: "
        let map = "\n    map: {to: stock, stock: {sku: Artikelnummer, location: Lager, on_hand: Bestand}}\n"
        #expect((try? parse(flow + "50%" + map))?.flow(named: "stock")?.holdIfRowsDrop == 0.5)
        #expect(throws: ConfigError.self) { try parse(flow + "150%" + map) }
        #expect(throws: ConfigError.self) { try parse(flow + "0.5" + map) }
        #expect(throws: ConfigError.self) { try parse(flow + "50%\n") }
    }

    @Test func readsTheDemoConfiguration() throws {
        let config = try ConfigLoader.load(path: SharedFolder.projectRoot + "/hafen.yaml")
        #expect(config.flows.map(\.name) == ["products", "stock", "shipments", "artikel_sap", "preise_sap"])
        #expect(config.flow(named: "shipments")?.mapping?.shipment?.trackingNumber != nil)
        #expect(config.exports.map(\.kind) == [.orders, .orders, .refunds, .customers])
        #expect(config.export(named: "auftraege_xml")?.xml?.lineColumns.count == 7)
        #expect(config.flow(named: "stock")?.onError == .skipRows)
        #expect(config.flow(named: "stock")?.glob == "*.csv")
        let mapping = try #require(config.flow(named: "products")?.mapping)
        #expect(mapping.target == .products)
        #expect(mapping.createOnlyFields == ["product.description_html"])
        #expect(mapping.options.map(\.name) == ["Farbe", "Größe"])
        #expect(config.flow(named: "stock")?.mapping?.stock?.quantity == .available)
        guard case .csv(let products)? = config.flow(named: "products")?.format else {
            Issue.record("the products flow reads CSV")
            return
        }
        #expect(products.dialect.encoding == .windows1252)
    }
}

