import Foundation
import Gateway
import HTTPTypes
import HafenTesting
import Ledger
import Testing

/// Customers become debtor records: one row each, written once per version, with their default
/// address split for the ERP; changes follow `on_change`, the filter leaves some out.
@Suite struct CustomerExportTests {
    static let customersFlow = """
          customers:
            kind: customers
            target: outbox/customers
            dialect: {encoding: windows-1252}
            date_format: dd.MM.yyyy
            on_change: amend
            filter: {min_orders: 1, exclude_tags: [intern]}
            debtors: {by_email: {stammkunde@example.com: "10042"}}
            columns:
              Debitor: debtor.number
              Art: debtor.type
              Name: debtor.name
              Vorname: customer.first_name
              Nachname: customer.last_name
              EMail: customer.email
              Strasse: address.street
              Hausnr: address.house_number
              PLZ: address.zip
              Ort: address.city
              Land: address.country
              Steuerfrei: {value: customer.tax_exempt, table: {"true": J, "false": N}}
              Umsatz: customer.amount_spent
              Vorgang: export.kind
        """

    static func harness() throws -> ExportHarness { try ExportHarness(flows: customersFlow) }

    static let company = """
        {"customer": {"email": "einkauf@hafenbau.de", "firstName": "Ina", "lastName": "Kurz", "tags": ["b2b"], "taxExempt": true},
         "paymentGateway": "Rechnung", "financialStatus": "PAID",
         "billingAddress": {"company": "Hafenbau GmbH", "firstName": "Ina", "lastName": "Kurz", "address1": "Am Kai 3 - 5", "zip": "20457", "city": "Hamburg", "countryCodeV2": "DE"},
         "lineItems": [{"sku": "A-1", "quantity": 10, "price": "9.90", "taxRate": "0.19"}]}
        """

    @Test func writesEachCustomerWhoOrderedOnceAsADebtorRecord() async throws {
        let h = try Self.harness()
        try await h.seed("[\(ExportHarness.paidOrder), \(Self.company)]")
        // Signed up but never ordered; and one the merchant marked as internal.
        try await h.simulator.admin(.post, "/admin/customers", json: #"[{"email": "neu@example.com"}, {"email": "chef@example.com", "tags": ["intern"]}]"#)
        try await h.seed(#"{"customer": {"email": "chef@example.com"}, "lineItems": [{"sku": "A-1", "quantity": 1, "price": "1.00"}]}"#)
        let gateway = try h.gateway()
        let flow = try #require(try h.config().export(named: "customers"))
        let run = try await gateway.poll(flow)
        #expect(run.collected == 4)
        #expect(run.written[.original] == 2)
        #expect(run.filtered == 2)
        let files = h.files("customers")
        #expect(files.count == 2)
        let rows = try files.map { try h.rows($0, in: "customers") }
        #expect(rows[0][0] == ["Debitor", "Art", "Name", "Vorname", "Nachname", "EMail", "Strasse", "Hausnr", "PLZ", "Ort", "Land", "Steuerfrei", "Umsatz", "Vorgang"])
        let all = rows.map { $0[1] }.sorted { $0[5] < $1[5] }
        #expect(all[0] == ["", "company", "Hafenbau GmbH", "Ina", "Kurz", "einkauf@hafenbau.de", "Am Kai", "3 - 5", "20457", "Hamburg", "DE", "J", "99.00", "original"])
        #expect(all[1] == ["10042", "person", "Jürgen Weiß", "Jürgen", "Weiß", "stammkunde@example.com", "Hafenstraße", "12a", "20457", "Hamburg", "DE", "N", "29.20", "original"])
        // Nothing changed: nothing is written again.
        let again = try await gateway.poll(flow)
        #expect(again.writtenCount == 0)
        #expect(h.files("customers").count == 2)
    }

    @Test func aChangedCustomerIsWrittenAsAnAmendmentAndATouchIsNot() async throws {
        let h = try Self.harness()
        try await h.seed(Self.company)
        let gateway = try h.gateway()
        let flow = try #require(try h.config().export(named: "customers"))
        _ = try await gateway.poll(flow)
        let state = try await h.simulator.graphQL(#"{ customers(first: 5) { nodes { id } } }"#)
        let id = try #require(((state.json["data"] as? [String: Any])?["customers"] as? [String: Any]).flatMap { ($0["nodes"] as? [[String: Any]])?.first?["id"] as? String })
        let number = id.split(separator: "/").last!
        // A note is not exported: recorded as unchanged.
        try await h.simulator.admin(.post, "/admin/customers/\(number)", json: #"{"note": "ruft gern an"}"#)
        let touched = try await gateway.poll(flow)
        #expect(touched.unchanged == 1 && touched.writtenCount == 0)
        // A new address is: an amendment.
        try await h.simulator.admin(.post, "/admin/customers/\(number)", json: #"{"address": {"company": "Hafenbau GmbH", "address1": "Neuer Wall 1", "zip": "20354", "city": "Hamburg", "countryCodeV2": "DE"}}"#)
        let moved = try await gateway.poll(flow)
        #expect(moved.written[.amendment] == 1)
        let amendment = try #require(h.files("customers").first { $0.hasSuffix("_amendment.csv") })
        #expect(try h.rows(amendment, in: "customers")[1][6...7] == ["Neuer Wall", "1"])
        // reexport by the e-mail address the ledger knows.
        #expect(try await gateway.reexport(flow, reference: "einkauf@hafenbau.de").written[.reexport] == 1)
        await #expect(throws: (any Error).self) { try await gateway.reexport(flow, reference: "niemand@example.com") }
    }

    @Test func aCustomerArrivesByWebhook() async throws {
        let port = DaemonProcess.freePort()
        let h = try WebhookTests.harness(port: port, flows: Self.customersFlow.replacingOccurrences(of: "kind: customers", with: "kind: customers\n    poll: 1h"))
        let daemon = try WebhookTests.daemon(h, port: port)
        #expect(try await WebhookTests.eventually { daemon.log.contains("listening") }, "\(daemon.log)")
        try await h.simulator.admin(.post, "/admin/webhooks", json: #"{"url": "http://127.0.0.1:\#(port)/webhooks/shopify", "secret": "\#(WebhookTests.secret)"}"#)
        let created = try await h.simulator.admin(.post, "/admin/customers", json: #"{"email": "eilig@example.com", "firstName": "Eva"}"#) as? [[String: Any]]
        let id = try #require(created?.first?["id"] as? String)
        // No order yet: the filter (min_orders: 1) leaves her out; her first order changes that.
        try await h.simulator.admin(.post, "/admin/customers/\(id.split(separator: "/").last!)", json: #"{"lastName": "Eilig"}"#)
        try await h.seed(#"{"customer": {"email": "eilig@example.com"}, "financialStatus": "PAID", "lineItems": [{"sku": "A-1", "quantity": 1, "price": "1.00"}]}"#)
        try await h.simulator.admin(.post, "/admin/customers/\(id.split(separator: "/").last!)", json: #"{"phone": "+49 40 123"}"#)
        #expect(try await WebhookTests.eventually { h.files("customers").count == 1 }, "\(h.files("customers"))\n\(daemon.log)")
        #expect(daemon.log.contains("customers/update"))
    }
}
