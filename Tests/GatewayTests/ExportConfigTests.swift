import Formats
import Foundation
import Gateway
import Testing

/// Mistakes in an export's settings are named with their key and line, before anything runs.
@Suite struct ExportConfigTests {
    static func parse(_ export: String) throws -> GatewayConfig {
        try ConfigLoader.parse("""
            shops:
              main: {store: example.myshopify.com, token: "env:TOKEN"}
            exports:
              orders:
            \(export)
            """, file: "hafen.yaml", root: "/tmp")
    }

    static func message(_ export: String) -> String {
        configProblem { try parse(export) }
    }

    @Test func readsAnExportWithItsDefaults() throws {
        let config = try Self.parse("    columns: {Nr: order.number, Preis: line.unit_price, Menge: line.quantity}")
        let export = try #require(config.export(named: "orders"))
        #expect(export.shop == "main")
        #expect(export.target == "outbox/orders")
        #expect(export.dialect.delimiter == UInt8(ascii: ";"))
        #expect(export.filter.financialStatus == ["paid"])
        #expect(export.onChange == .review && export.onCancel == .cancellation)
        #expect(export.columns.map(\.decimals) == [nil, 2, nil])
        #expect(export.namePattern == "orders_{order.number}_{kind}.csv")
    }

    @Test func namesAnUnknownFieldWithASuggestion() {
        #expect(Self.message("    columns: {Nr: order.nummer}") == #"hafen.yaml:5: exports.orders.columns.Nr: there is no field "order.nummer"; did you mean order.number? (write names with spaces or symbols in [brackets] inside expressions)"#)
    }

    @Test func refusesLineFieldsInARowPerOrder() {
        #expect(Self.message("    rows: order\n    columns: {Artikel: line.sku}").contains("with rows: order there is no field \"line.sku\""))
    }

    @Test func refusesAnOrderFieldInABatchFileName() {
        #expect(Self.message("    file: batch\n    name: \"B_{order.number}.csv\"\n    columns: {Nr: order.number}")
            .contains("{order.number} names one order, but file: batch writes many to a file"))
    }

    @Test func refusesAnUnknownPolicyAndAMissingTable() {
        #expect(Self.message("    on_change: ignore\n    columns: {Nr: order.number}").contains("exports.orders.on_change: must be review"))
        #expect(Self.message("    columns: {Z: {value: order.payment_gateway, table: zahlart}}").contains(#"no table "zahlart" under tables:"#))
        #expect(Self.message("    shop: other\n    columns: {Nr: order.number}").contains("exports.orders.shop: no such shop under shops:"))
    }

    @Test func aRefundsExportKnowsRefundFieldsAndAnOrdersExportDoesNot() throws {
        let config = try Self.parse("    kind: refunds\n    columns: {Nr: refund.number, Summe: refund.total, Lager: line.restock, Menge: line.quantity}")
        let export = try #require(config.export(named: "orders"))
        #expect(export.kind == .refunds)
        #expect(export.namePattern == "orders_{refund.number}.csv")
        #expect(export.columns.map(\.decimals) == [nil, 2, nil, nil])
        #expect(Self.message("    columns: {Nr: refund.number}").contains(#"there is no field "refund.number""#))
        #expect(Self.message("    kind: refunds\n    columns: {R: line.discount}").contains(#"there is no field "line.discount""#))
        #expect(Self.message("    kind: products\n    columns: {Nr: order.number}").contains("exports.orders.kind: must be orders, refunds or customers"))
    }

    @Test func aCustomerExportIsARowPerCustomerWithItsOwnFilter() throws {
        let config = try Self.parse("    kind: customers\n    filter: {min_orders: 1, tags: [b2b]}\n    columns: {Nr: customer.id, Strasse: address.street, Umsatz: customer.amount_spent}")
        let export = try #require(config.export(named: "orders"))
        #expect(export.kind == .customers && export.rows == .order)
        #expect(export.namePattern == "orders_{customer.id}_{kind}.csv")
        #expect(export.filter.minOrders == 1)
        #expect(export.columns.map(\.decimals) == [nil, nil, 2])
        #expect(Self.message("    kind: customers\n    rows: lines\n    columns: {Nr: customer.id}").contains("a customer export writes a row per customer"))
        #expect(Self.message("    kind: customers\n    filter: {financial_status: [paid]}\n    columns: {Nr: customer.id}").contains("financial_status"))
        #expect(Self.message("    kind: customers\n    columns: {Nr: order.number}").contains(#"there is no field "order.number""#))
    }
}
