import Foundation
import Gateway
import HafenTesting
import HTTPTypes
import Logging
import Testing

/// A gateway folder whose `hafen.yaml` exports a simulator's orders to `outbox/orders`.
struct ExportHarness {
    let dir: TemporaryDirectory
    let simulator: SimulatorProcess

    static let columns = """
            columns:
              Beleg: order.number
              Datum: order.date
              Debitor: debtor.number
              Typ: debtor.type
              Name: debtor.name
              Strasse: billing.street
              Hausnr: billing.house_number
              Zahlart: {value: order.payment_gateway, table: payment}
              Notiz: order.note
              Pos: line.number
              Artikel: line.sku
              Menge: line.quantity
              Preis: line.unit_price
              MwSt: line.tax_rate
              Art: export.kind
        """

    /// - Parameter settings: lines added to the export's settings (indented four spaces).
    /// - Parameter shopSettings: lines added to the shop's settings (indented four spaces).
    /// - Parameter flows: further export flows (indented two spaces).
    /// - Parameter simulator: a running simulator to share (a second gateway on the same shop).
    /// - Parameter target: where the orders export writes (`sftp://partner/…` with `top` naming the partner).
    init(
        settings: String = "", shopSettings: String = "", top: String = "", flows: String = "", simulator: SimulatorProcess? = nil,
        target: String = "outbox/orders"
    ) throws {
        self.simulator = try simulator ?? SimulatorProcess()
        dir = try TemporaryDirectory("export")
        try dir.write(self.simulator.token + "\n", to: "shop.token")
        _ = try dir.write(
            """
            \(top)
            shops:
              main:
                store: \(self.simulator.store)
                token: file:shop.token
            \(shopSettings)
            exports:
              orders:
                target: \(target)
                decimal_separator: ","
                dialect: {encoding: windows-1252}
                date_format: dd.MM.yyyy
                tables:
                  payment: {paypal: PP, Rechnung: RE, manual: MAN, Vorkasse: VK, shopify_payments: KK}
                debtors:
                  by_email: {stammkunde@example.com: "10042"}
                  default: "99999"
            \(settings)
            \(Self.columns)
            \(flows)
            """, to: "hafen.yaml")
    }

    func config() throws -> GatewayConfig { try ConfigLoader.load(path: dir.file("hafen.yaml")) }

    func gateway() throws -> Gateway {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try Gateway(config: config(), logger: logger)
    }

    func flow() throws -> ExportConfig { try #require(try config().export(named: "orders")) }

    /// Creates orders over the simulator's admin route; answers their ids.
    @discardableResult
    func seed(_ json: String) async throws -> [String] {
        let created = try await simulator.admin(.post, "/admin/orders", json: json) as? [[String: Any]] ?? []
        return created.compactMap { $0["id"] as? String }
    }

    func change(_ id: String, _ json: String) async throws {
        try await simulator.admin(.post, "/admin/orders/\(id.split(separator: "/").last!)", json: json)
    }

    /// Data files in an outbox folder (no sidecars), sorted.
    func files(_ folder: String = "orders") -> [String] {
        dir.list("outbox/" + folder).filter { $0.hasSuffix(".csv") && !$0.hasPrefix(".") }.sorted()
    }

    /// A file of the outbox decoded from Windows-1252, split into rows of cells.
    func rows(_ name: String, in folder: String = "orders") throws -> [[String]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.file("outbox/\(folder)/" + name)))
        let text = String(data: data, encoding: .windowsCP1252) ?? ""
        return text.split(separator: "\r\n").map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
    }

    func hafen(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        try ProcessRunner.run(HafenBinary.path, arguments + ["-c", dir.file("hafen.yaml")], in: dir.path, environment: environment)
    }

    static let paidOrder = """
        {"customer": {"email": "stammkunde@example.com", "firstName": "Jürgen", "lastName": "Weiß"}, "paymentGateway": "paypal",
         "billingAddress": {"firstName": "Jürgen", "lastName": "Weiß", "address1": "Hafenstraße 12a", "zip": "20457", "city": "Hamburg", "countryCodeV2": "DE"},
         "lineItems": [{"sku": "A-1", "title": "Becher", "quantity": 2, "price": "9.90", "taxRate": "0.19"}, {"sku": "B-2", "quantity": 1, "price": "4.50", "taxRate": "0.07"}],
         "shippingLines": [{"title": "DHL Paket", "code": "DHL", "price": "4.90", "taxRate": "0.19"}]}
        """
}
