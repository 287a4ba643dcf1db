import Commerce
import Formats
import Foundation
import Gateway
import HafenTesting
import Ledger
import Mapping
import Testing

/// The planner sends only what changed since the last push to a shop.
@Suite struct PlannerTests {
    static let spec = MappingSpec(
        target: .products, product: [.title: .column("t"), .descriptionHTML: FieldMap(source: "d", expression: .column("d"), on: .create)],
        variant: [.sku: .column("sku"), .price: .column("p")])

    static func mapped(_ rows: [(sku: String, title: String, description: String, price: Value)], blank: BlankPolicy = .keep) -> MappingResult {
        var spec = spec
        spec.blank = blank
        var mapper = Mapper(spec: spec, file: "p.csv", header: ["sku", "t", "d", "p"])
        var log = DiagnosticLog()
        for (i, row) in rows.enumerated() {
            mapper.add(SourceRecord(row: i + 2, line: i + 2, cells: ["sku": .text(row.sku), "t": .text(row.title), "d": .text(row.description), "p": row.price]),
                       into: &log)
        }
        return mapper.finish(into: &log)
    }

    /// Records a plan as pushed, as the connector will after a successful push.
    static func push(_ plan: Plan, to ledger: Ledger) throws {
        try ledger.recordPushed(plan.items.map {
            RecordState(shop: plan.shop, kind: $0.kind, key: $0.key, contentHash: Planner.hash($0.content), content: $0.content)
        })
    }

    @Test func createsFirstThenSendsOnlyWhatChanged() throws {
        let dir = try TemporaryDirectory()
        let ledger = try Ledger(path: dir.file("ledger.sqlite"))
        let first = Self.mapped([("A-1", "Jacke", "Lang", .number(10)), ("A-2", "Hose", "Lang", .number(20))])
        let created = try Planner.plan(first, spec: Self.spec, shop: "main", ledger: ledger)
        #expect(created.items.map(\.action) == [.create, .create])
        try Self.push(created, to: ledger)

        #expect(try Planner.plan(first, spec: Self.spec, shop: "main", ledger: ledger).items.map(\.action) == [.unchanged, .unchanged])
        #expect(try Planner.plan(first, spec: Self.spec, shop: "other", ledger: ledger).creates == 2, "each shop has its own state")

        let second = Self.mapped([("A-1", "Jacke", "Im Shop gepflegt", .number(12)), ("A-2", "Hose", "Lang", .number(20))])
        let plan = try Planner.plan(second, spec: Self.spec, shop: "main", ledger: ledger)
        #expect(plan.items.map(\.action) == [.update, .unchanged])
        #expect(plan.items[0].changes == [FieldChange(field: "variants[A-1].price", old: "10", new: "12")],
                "the description is sent on create only, so its change is not an update")
    }

    @Test func comparesABlankCellOnlyWhenItClears() throws {
        let dir = try TemporaryDirectory()
        let ledger = try Ledger(path: dir.file("ledger.sqlite"))
        try Self.push(try Planner.plan(Self.mapped([("A-1", "Jacke", "", .number(10))]), spec: Self.spec, shop: "main", ledger: ledger), to: ledger)
        let keep = try Planner.plan(Self.mapped([("A-1", "", "", .number(10))]), spec: Self.spec, shop: "main", ledger: ledger)
        #expect(keep.items[0].action == .unchanged, "a blank title under blank: keep leaves the shop's title alone")
        let clear = try Planner.plan(Self.mapped([("A-1", "", "", .number(10))], blank: .clear), spec: Self.spec, shop: "main", ledger: ledger)
        #expect(clear.items[0].changes == [FieldChange(field: "title", old: "Jacke", new: nil)])
    }

    @Test func plansStockLevelsBySKUAndLocation() throws {
        let dir = try TemporaryDirectory()
        let ledger = try Ledger(path: dir.file("ledger.sqlite"))
        var mapping = MappingResult()
        mapping.stock = [MappedStock(level: StockLevel(sku: "A-1", location: "Hauptlager", quantity: 5), row: 2)]
        let spec = MappingSpec(target: .stock)
        try Self.push(try Planner.plan(mapping, spec: spec, shop: "main", ledger: ledger), to: ledger)
        mapping.stock[0].level.quantity = 3
        let plan = try Planner.plan(mapping, spec: spec, shop: "main", ledger: ledger)
        #expect(plan.items.map(\.key) == ["A-1@Hauptlager"])
        #expect(plan.items[0].changes == [FieldChange(field: "quantity", old: "5", new: "3")])
    }

    @Test func readsTheStateOfManyKeysInSlices() throws {
        let dir = try TemporaryDirectory()
        let ledger = try Ledger(path: dir.file("ledger.sqlite"))
        let states = (0..<1234).map { RecordState(shop: "main", kind: "stock", key: "A-\($0)@H", contentHash: "h\($0)", content: "{}") }
        try ledger.recordPushed(states)
        let found = try ledger.recordStates(shop: "main", kind: "stock", keys: (0..<1300).map { "A-\($0)@H" })
        #expect(found.count == 1234)
        #expect(found["A-1233@H"]?.contentHash == "h1233")
    }

    @Test func setsProductsMissingFromACompleteFileToDraftWithinTheLimit() throws {
        let dir = try TemporaryDirectory()
        let ledger = try Ledger(path: dir.file("ledger.sqlite"))
        let all = (1...20).map { (sku: "A-\($0)", title: "T", description: "", price: Value.number(1)) }
        try Self.push(try Planner.plan(Self.mapped(all), spec: Self.spec, shop: "main", ledger: ledger), to: ledger)
        var spec = Self.spec
        spec.missing = .draft
        spec.missingLimit = 0.1

        let twoGone = try Planner.plan(Self.mapped(Array(all.dropLast(2))), spec: spec, shop: "main", ledger: ledger)
        #expect(twoGone.items.filter { $0.action == .deactivate }.map(\.key) == ["a-19", "a-20"])
        #expect(twoGone.items.last?.changes == [FieldChange(field: "status", old: nil, new: "draft")])

        let threeGone = try Planner.plan(Self.mapped(Array(all.dropLast(3))), spec: spec, shop: "main", ledger: ledger)
        #expect(threeGone.deactivations == 0)
        #expect(threeGone.warnings == ["3 of 20 products (15%) are not in the file, more than the limit of 10%: none is set to draft (is the export complete?)"])

        let incomplete = try Planner.plan(Self.mapped(Array(all.dropLast(1))), spec: spec, shop: "main", ledger: ledger, complete: false)
        #expect(incomplete.deactivations == 0)
        #expect(incomplete.warnings.first?.hasSuffix("it had rejected rows, so none is set to draft") == true)

        #expect(try Planner.plan(Self.mapped(Array(all.dropLast(2))), spec: Self.spec, shop: "main", ledger: ledger).deactivations == 0,
                "missing: keep, the default, leaves them alone")
    }
}
