import Crypto
import Foundation
import Gateway
import HTTPTypes
import HafenTesting
import Ledger
import Testing

/// Paid orders become ERP files in the outbox: each version once, complete, checksummed and
/// receipted; changes, cancellations and mapping gaps are handled as configured.
@Suite struct OrderExportTests {
    @Test func writesEachPaidOrderOnceWithItsChecksumAndReceipt() async throws {
        let h = try ExportHarness()
        try await h.seed("""
            [\(ExportHarness.paidOrder),
             {"email": "b@example.com", "financialStatus": "PENDING", "lineItems": [{"sku": "A-1", "quantity": 1, "price": "9.90"}]},
             {"email": "c@example.com", "test": true, "lineItems": [{"sku": "A-1", "quantity": 1, "price": "9.90"}]}]
            """)
        let gateway = try h.gateway()
        let run = try await gateway.poll(h.flow())
        #expect(run.collected == 3)
        #expect(run.written[.original] == 1)
        #expect(run.filtered == 2)
        #expect(h.files() == ["orders_1001_original.csv"])
        let rows = try h.rows("orders_1001_original.csv")
        #expect(rows[0] == ["Beleg", "Datum", "Debitor", "Typ", "Name", "Strasse", "Hausnr", "Zahlart", "Notiz", "Pos", "Artikel", "Menge", "Preis", "MwSt", "Art"])
        #expect(rows.count == 3)
        #expect(rows[1][2...8] == ["10042", "person", "Jürgen Weiß", "Hafenstraße", "12a", "PP", ""])
        #expect(rows[1][9...] == ["1", "A-1", "2", "9,90", "19", "original"])
        #expect(rows[2][9...] == ["2", "B-2", "1", "4,50", "7", "original"])
        // The sidecar holds the file's SHA-256 in sha256sum's format; the receipt says the same.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: h.dir.file("outbox/orders/orders_1001_original.csv")))
        let sha = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        #expect(try h.dir.read("outbox/orders/orders_1001_original.csv.sha256") == "\(sha)  orders_1001_original.csv\n")
        let receipt = try JSONSerialization.jsonObject(with: Data(h.dir.read("outbox/receipts/orders/orders_1001_original.csv.receipt.json").utf8)) as! [String: Any]
        #expect(receipt["sha256"] as? String == sha)
        #expect(receipt["direction"] as? String == "out")
        #expect((receipt["records"] as? [[String: Any]])?.first?["order"] as? String == "#1001")
        #expect(try gateway.ledger.recentExportFiles().map(\.state) == [.written])
        // Polling again finds the same version and writes nothing.
        let again = try await gateway.poll(h.flow())
        #expect(again.writtenCount == 0)
        #expect(again.seen == 1)
        #expect(h.files() == ["orders_1001_original.csv"])
    }

    @Test func aTouchThatChangesNoExportedFieldWritesNothing() async throws {
        let h = try ExportHarness(settings: "    on_change: amend")
        let ids = try await h.seed(ExportHarness.paidOrder)
        let gateway = try h.gateway()
        _ = try await gateway.poll(h.flow())
        // Tags are not exported: the gateway's own tag write-back must not export the order again.
        try await h.change(ids[0], #"{"tags": ["erp:4711"]}"#)
        let touched = try await gateway.poll(h.flow())
        #expect(touched.unchanged == 1)
        #expect(touched.writtenCount == 0)
        // A note is exported: the order goes out again as an amendment, under its own name.
        try await h.change(ids[0], #"{"note": "Bitte klingeln"}"#)
        let changed = try await gateway.poll(h.flow())
        #expect(changed.written[.amendment] == 1)
        #expect(h.files() == ["orders_1001_amendment.csv", "orders_1001_original.csv"])
        #expect(try h.rows("orders_1001_amendment.csv")[1].last == "amendment")
        #expect(try h.rows("orders_1001_amendment.csv")[1][8] == "Bitte klingeln")
    }

    @Test func aChangedOrderWaitsForReviewAndACancelledOneGetsACancellation() async throws {
        let h = try ExportHarness()
        let ids = try await h.seed("[\(ExportHarness.paidOrder), \(ExportHarness.paidOrder)]")
        let gateway = try h.gateway()
        _ = try await gateway.poll(h.flow())
        try await h.change(ids[0], #"{"note": "geändert"}"#)
        try await h.change(ids[1], #"{"cancelled": true}"#)
        let run = try await gateway.poll(h.flow())
        #expect(run.review == ["#1001"])
        #expect(run.written[.cancellation] == 1)
        #expect(h.files() == ["orders_1001_original.csv", "orders_1002_cancellation.csv", "orders_1002_original.csv"])
        // The first run wrote two files: a manifest lists both, as sha256sum reads it.
        let manifest = try #require(h.dir.list("outbox/orders").first { $0.hasPrefix("MANIFEST_") })
        let listed = try h.dir.read("outbox/orders/" + manifest).split(separator: "\n").map { $0.split(separator: " ").last.map(String.init) ?? "" }
        #expect(listed == ["orders_1001_original.csv", "orders_1002_original.csv"])
        let attention = try gateway.ledger.exportsNeedingAttention()
        #expect(attention.map(\.objectName) == ["#1001"])
        #expect(attention.first?.note == "changed after export")
        // The admin decides to send it: a re-export, recorded as such, settles the review.
        let again = try await gateway.reexport(h.flow(), reference: "#1001")
        #expect(again.written[.reexport] == 1)
        #expect(h.files().contains("orders_1001_reexport.csv"))
        #expect(try gateway.ledger.exportsNeedingAttention().isEmpty)
    }

    @Test func anOrderTheMappingCannotExpressIsReportedNotWritten() async throws {
        let h = try ExportHarness()
        try await h.seed(#"{"email": "x@example.com", "paymentGateway": "klarna", "lineItems": [{"sku": "A-1", "quantity": 1, "price": "1.00"}]}"#)
        let gateway = try h.gateway()
        let run = try await gateway.poll(h.flow())
        #expect(run.failures == [#"order #1001, column Zahlart: "klarna" is not in table payment, which has no default"#])
        #expect(h.files().isEmpty)
        let attention = try gateway.ledger.exportsNeedingAttention()
        #expect(attention.map(\.kind) == [.failed])
        // The same version is not reported on every poll.
        #expect(try await gateway.poll(h.flow()).failures.isEmpty)
    }

    @Test func neutralisesFormulaCellsButNotNumbers() async throws {
        let h = try ExportHarness()
        try await h.seed(#"{"email": "x@example.com", "note": "=HYPERLINK(\"http://evil\")", "lineItems": [{"sku": "-A", "quantity": 1, "price": "1.00"}]}"#)
        let gateway = try h.gateway()
        _ = try await gateway.poll(h.flow())
        let row = try h.rows(try #require(h.files().first))[1]
        #expect(row[8] == #""'=HYPERLINK(""http://evil"")""#)
        #expect(row[10] == "'-A")
        #expect(row[12] == "1,00")
    }

    @Test func aBatchFileHoldsEveryOrderOfTheRun() async throws {
        let h = try ExportHarness(settings: "    file: batch\n    name: \"ORDERS_{date:yyyyMMdd}_{seq}.csv\"")
        try await h.seed("[\(ExportHarness.paidOrder), \(ExportHarness.paidOrder), \(ExportHarness.paidOrder)]")
        let gateway = try h.gateway()
        let run = try await gateway.poll(h.flow())
        #expect(run.files.count == 1)
        #expect(run.files.first?.records == 3)
        let name = try #require(h.files().first)
        #expect(name.hasPrefix("ORDERS_") && name.hasSuffix("_1.csv"))
        #expect(try h.rows(name).count == 1 + 3 * 2)
    }

    @Test func aFileOfTheSameNameIsNeverOverwritten() async throws {
        let h = try ExportHarness(settings: "    name: \"ORD_{order.number}.csv\"")
        try await h.seed(ExportHarness.paidOrder)
        try h.dir.write("the ERP's own file\n", to: "outbox/orders/ORD_1001.csv")
        let gateway = try h.gateway()
        _ = try await gateway.poll(h.flow())
        #expect(h.files() == ["ORD_1001-2.csv", "ORD_1001.csv"])
        #expect(try h.dir.read("outbox/orders/ORD_1001.csv") == "the ERP's own file\n")
    }

    @Test func aBackfillTakesAWindowAndLeavesTheCursorAlone() async throws {
        let h = try ExportHarness()
        try await h.seed(ExportHarness.paidOrder)
        let gateway = try h.gateway()
        let run = try await gateway.export(h.flow(), from: Date().addingTimeInterval(-3600), to: Date().addingTimeInterval(60))
        #expect(run.writtenCount == 1)
        #expect(try gateway.ledger.cursor(flow: "orders") == nil)
        let past = try await gateway.export(h.flow(), from: Date().addingTimeInterval(-7200), to: Date().addingTimeInterval(-3600))
        #expect(past.collected == 0)
    }

    @Test func acknowledgedAndTakenFilesAreDeliveredOthersOverdue() async throws {
        let h = try ExportHarness(settings: "    ack: \"{stem}.ok\"\n    overdue: 1s")
        try await h.seed("[\(ExportHarness.paidOrder), \(ExportHarness.paidOrder), \(ExportHarness.paidOrder)]")
        let gateway = try h.gateway()
        _ = try await gateway.poll(h.flow())
        try h.dir.write("", to: "outbox/orders/orders_1001_original.ok")
        try FileManager.default.removeItem(atPath: h.dir.file("outbox/orders/orders_1002_original.csv"))
        try await Task.sleep(for: .milliseconds(1100))
        let overdue = try gateway.checkAcknowledgements()
        #expect(overdue.map(\.name) == ["orders_1003_original.csv"])
        let files = try gateway.ledger.recentExportFiles().sorted { $0.name < $1.name }
        #expect(files.map(\.deliveredBy) == ["ack", "removed", nil])
    }
}

/// Many changed orders are read with one bulk query instead of pages of four.
@Suite struct BulkOrderExportTests {
    @Test func aLargeWindowIsReadInOneBulkQueryWithTheSameRows() async throws {
        let h = try ExportHarness(shopSettings: "    bulk_threshold: 3")
        try await h.seed("[" + Array(repeating: ExportHarness.paidOrder, count: 6).joined(separator: ",") + "]")
        try await h.simulator.admin(.post, "/admin/orders/generate", json: #"{"count": 4, "seed": 2}"#)
        let gateway = try h.gateway()
        let run = try await gateway.poll(h.flow())
        #expect(run.written[.original] == 10)
        let operations = try await h.simulator.calls()["by_operation"] as? [String: Int] ?? [:]
        #expect(operations["BulkOperationRunQuery"] == 1)
        #expect(operations["OrdersUpdated"] == nil)
        // The bulk rows are the rows one order read alone gives (re-exported: only the kind differs).
        for number in [1001, 1010] {
            _ = try await gateway.reexport(h.flow(), reference: "#\(number)")
            let bulk = try h.rows("orders_\(number)_original.csv").map { $0.dropLast() }
            let single = try h.rows("orders_\(number)_reexport.csv").map { $0.dropLast() }
            #expect(bulk == single)
            #expect(bulk.count >= 2)
        }
    }
}
