import Commerce
import Formats
import Foundation
import Mapping
import Testing

struct MapperTests {
    static let header = ["Artikelnummer", "Bezeichnung", "Langtext", "EAN", "Preis", "MwSt", "Gruppe", "Farbe", "Größe", "Aktiv", "Gewicht"]

    static func row(_ n: Int, _ sku: String, group: String = "", farbe: String = "", groesse: String = "", langtext: String = "Text",
                    preis: Value = .number(10), aktiv: Bool = true, mwst: Int = 19) -> SourceRecord {
        let values: [Value] = [.text(sku), .text("Titel \(sku)"), .text(langtext), .text("4006381333931"), preis, .number(Decimal(mwst)),
                               .text(group), .text(farbe), .text(groesse), .bool(aktiv), .number(Decimal(string: "0.5")!)]
        return SourceRecord(row: n, line: n, cells: Dictionary(uniqueKeysWithValues: zip(header, values)))
    }

    static func productSpec(blank: BlankPolicy = .keep) throws -> MappingSpec {
        let columns = Set(header)
        func map(_ text: String, table: ValueTable? = nil, on: UpdatePolicy = .always) throws -> FieldMap {
            FieldMap(source: text, expression: try ExpressionParser.parse(text, columns: columns), table: table, on: on)
        }
        return MappingSpec(
            target: .products, filter: try ExpressionParser.parse("Aktiv", columns: columns),
            groupBy: try ExpressionParser.parse("Gruppe", columns: columns), blank: blank,
            product: [
                .title: try map("Bezeichnung"),
                .descriptionHTML: try map("Langtext", on: .create),
                .status: try map("if(Aktiv, 'active', 'draft')"),
            ],
            variant: [
                .sku: try map("Artikelnummer"), .barcode: try map("EAN"), .price: try map("Preis"),
                .taxable: try map("MwSt", table: ValueTable(name: "mwst", entries: ["19": "true", "7": "true", "0": "false"])),
                .weight: FieldMap(source: "Gewicht", expression: .column("Gewicht"), unit: .kilograms),
            ],
            options: [.init(name: "Farbe", map: try map("Farbe")), .init(name: "Größe", map: try map("Größe"))])
    }

    static func run(_ spec: MappingSpec, _ records: [SourceRecord]) -> (MappingResult, DiagnosticLog) {
        var mapper = Mapper(spec: spec, file: "inbox/products/p.csv", header: header)
        var log = DiagnosticLog()
        for record in records { mapper.add(record, into: &log) }
        return (mapper.finish(into: &log), log)
    }

    @Test func groupsRowsIntoOneProductWithVariantsAndOptions() throws {
        let (result, log) = Self.run(try Self.productSpec(), [
            Self.row(2, "A-1", group: "V-1", farbe: "weiß", groesse: "M"),
            Self.row(3, "A-2"),
            Self.row(4, "A-3", group: "V-1", farbe: "weiß", groesse: "XL"),
        ])
        #expect(log.isEmpty)
        #expect(result.products.map(\.product.handle) == ["v-1", "a-2"])
        let grouped = result.products[0].product
        #expect(grouped.variants.map(\.sku) == ["A-1", "A-3"])
        #expect(grouped.optionNames == ["Farbe", "Größe"])
        #expect(grouped.variants.map(\.optionValues) == [["weiß", "M"], ["weiß", "XL"]])
        #expect(result.products[0].rows == [2, 4])
        #expect(result.products[1].product.optionNames.isEmpty, "options without any value are dropped")
        #expect(grouped.status == .set(.active))
        #expect(grouped.variants[0].taxable == .set(true))
        #expect(grouped.variants[0].weight == .set(Weight(value: Decimal(string: "0.5")!, unit: .kilograms)))
        #expect(result.rowsMapped == 3)
    }

    @Test func leavesOutRecordsTheFilterRejects() throws {
        let (result, _) = Self.run(try Self.productSpec(), [Self.row(2, "A-1"), Self.row(3, "A-2", aktiv: false)])
        #expect(result.products.map(\.product.handle) == ["a-1"])
        #expect(result.rowsFiltered == 1)
    }

    @Test func keepsOrClearsABlankValueAsConfigured() throws {
        let keep = Self.run(try Self.productSpec(blank: .keep), [Self.row(2, "A-1", langtext: "")]).0
        #expect(keep.products[0].product.descriptionHTML == .keep)
        let clear = Self.run(try Self.productSpec(blank: .clear), [Self.row(2, "A-1", langtext: "")]).0
        #expect(clear.products[0].product.descriptionHTML == .clear)
    }

    @Test func knowsWhichFieldsAreSentOnlyOnCreate() throws {
        #expect(try Self.productSpec().createOnlyFields == ["product.description_html"])
    }

    @Test func reportsAValueMissingFromItsTableAtItsCell() throws {
        let (result, log) = Self.run(try Self.productSpec(), [Self.row(2, "A-1", mwst: 16), Self.row(3, "A-2")])
        #expect(result.products.map(\.product.handle) == ["a-2"], "the bad record is left out, the others go on")
        let d = try #require(log.kept.first)
        #expect(d.code == .unmappedValue)
        #expect(d.position.column == 6 && d.position.row == 2)
        #expect(d.message == "\"16\" is not in table \"mwst\", which has no default")
        #expect(result.rowsFailed == 1)
    }

    @Test func refusesARecordWithoutSKU() throws {
        let (result, log) = Self.run(try Self.productSpec(), [Self.row(2, "")])
        #expect(result.products.isEmpty)
        #expect(log.kept.map(\.code) == [.missingShopKey])
    }

    @Test func refusesTextWhereAPriceBelongs() throws {
        let (_, log) = Self.run(try Self.productSpec(), [Self.row(2, "A-1", preis: .text("zehn"))])
        #expect(log.kept.map(\.code) == [.mappedTypeMismatch])
        #expect(log.kept.first?.field == "variant.price")
    }

    @Test func rejectsVariantsThatClash() throws {
        let (result, log) = Self.run(try Self.productSpec(), [
            Self.row(2, "A-1", group: "V-1", farbe: "rot", groesse: "M"),
            Self.row(3, "A-2", group: "V-1", farbe: "rot", groesse: "M"),
            Self.row(4, "A-3", group: "V-2", farbe: "rot", groesse: "M"),
            Self.row(5, "A-4", group: "V-2", farbe: "blau"),
        ])
        #expect(log.kept.map { "\($0.position.row!): \($0.message)" } == [
            "3: variant with options rot / M is already in row 2 of \"v-1\"",
            "5: option \"Größe\" has no value, but other variants of \"v-2\" have one",
        ])
        #expect(result.products.map { $0.product.variants.map(\.sku) } == [["A-1"], ["A-3"]], "the first of each stays")
        #expect(result.products.map(\.rows) == [[2], [4]])
        #expect(result.rowsFailed == 2 && result.rowsMapped == 2)
    }

    @Test func computesAvailableStockPerLocation() throws {
        let columns: Set<String> = ["Artikelnummer", "Lager", "Bestand", "Reserviert"]
        let spec = MappingSpec(target: .stock, stock: StockSpec(
            sku: .column("Artikelnummer"),
            location: FieldMap(source: "Lager", expression: try ExpressionParser.parse("Lager", columns: columns),
                               table: ValueTable(entries: ["HAUPT": "Hauptlager"], fallback: "Außenlager")),
            onHand: .column("Bestand"), reserved: .column("Reserviert")))
        var mapper = Mapper(spec: spec, file: "s.csv", header: Array(columns))
        var log = DiagnosticLog()
        mapper.add(SourceRecord(row: 2, line: 2, cells: ["Artikelnummer": .text("A-1"), "Lager": .text("HAUPT"), "Bestand": .number(10), "Reserviert": .number(4)]), into: &log)
        mapper.add(SourceRecord(row: 3, line: 3, cells: ["Artikelnummer": .text("A-1"), "Lager": .text("AUSSEN"), "Bestand": .number(5), "Reserviert": .null]), into: &log)
        let result = mapper.finish(into: &log)
        #expect(log.isEmpty)
        #expect(result.stock.map(\.level) == [StockLevel(sku: "A-1", location: "Hauptlager", quantity: 6), StockLevel(sku: "A-1", location: "Außenlager", quantity: 5)])
    }
}
