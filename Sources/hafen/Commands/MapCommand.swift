import ArgumentParser
import Commerce
import Foundation
import Formats
import Gateway
import Mapping

struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Show what a flow's mapping makes of a file: products, variants, stock levels, problems. Changes nothing.",
        discussion: "Exit codes: 0 every valid row mapped, 1 some row was rejected, 2 usage or configuration error.")

    @OptionGroup var target: FlowFileArguments

    @Option(help: "List at most this many objects (all are counted).")
    var limit = 20

    @OptionGroup var output: OutputOptions

    func run() throws {
        let (config, flowConfig) = try target.load()
        let file = target.file
        let preview: MappingPreview
        do {
            preview = try MappingPreview.run(path: file, flow: flowConfig, diagnosticCap: config.diagnosticCap)
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
        let result = preview.result
        if output.json {
            for mapped in result.products { try Output.json(mapped.product, pretty: false) }
            for mapped in result.stock { try Output.json(mapped.level, pretty: false) }
            for mapped in result.shipments { try Output.json(ShipmentJSON(mapped), pretty: false) }
            for diagnostic in preview.diagnostics.kept { try Output.json(diagnostic, pretty: false) }
        } else {
            var rows: [[String]]
            if flowConfig.mapping?.target == .shipments {
                rows = [["ORDER", "TRACKING", "CARRIER", "ARTICLES", "ROWS"]]
                for mapped in result.shipments.prefix(limit) {
                    let shipment = mapped.shipment
                    let articles = shipment.lines.isEmpty ? "everything left" : shipment.lines.map { "\($0.quantity) × \($0.sku)" }.joined(separator: ", ")
                    rows.append([shipment.order, shipment.trackingNumber ?? "-", shipment.carrier ?? "-", articles, mapped.rows.map(String.init).joined(separator: ",")])
                }
            } else if flowConfig.mapping?.target == .stock {
                rows = [["SKU", "LOCATION", "QUANTITY", "ROW"]]
                for mapped in result.stock.prefix(limit) {
                    rows.append([mapped.level.sku, mapped.level.location, String(mapped.level.quantity), String(mapped.row)])
                }
            } else {
                rows = [["HANDLE", "TITLE", "VARIANTS (SKU: OPTIONS PRICE)", "ROWS"]]
                for mapped in result.products.prefix(limit) {
                    let product = mapped.product
                    let variants = product.variants.map { v in
                        v.sku + (v.optionValues.isEmpty ? "" : ": " + v.optionValues.joined(separator: "/"))
                            + (v.price.value.map { " \($0)" } ?? "")
                    }
                    rows.append([product.handle, product.title.value ?? "-", variants.joined(separator: ", "),
                                 mapped.rows.map(String.init).joined(separator: ",")])
                }
            }
            Output.table(rows)
            let shown = switch flowConfig.mapping?.target {
            case .stock: result.stock.count
            case .shipments: result.shipments.count
            default: result.products.count
            }
            if shown > limit { Output.line("… and \(shown - limit) more (--limit)") }
            Output.line()
            for diagnostic in preview.diagnostics.kept { Output.line(DiagnosticFormatter.line(for: diagnostic)) }
            let variants = result.products.reduce(0) { $0 + $1.product.variants.count }
            Output.line("\(file): \(preview.rowsRead) rows: \(result.rowsMapped) mapped, \(result.rowsFiltered) left out by the filter, "
                + "\(preview.rowsRejected) rejected → " + (flowConfig.mapping?.target == .shipments
                    ? "\(result.shipments.count) shipments"
                    : "\(result.products.count) products with \(variants) variants, \(result.stock.count) stock levels"))
        }
        if preview.rowsRejected > 0 { throw ExitCode(1) }
    }
}

/// A shipment as `hafen map --json` prints it.
struct ShipmentJSON: Encodable {
    struct Line: Encodable {
        var sku: String
        var quantity: Int
        var row: Int
    }

    var order: String
    var trackingNumber: String?
    var carrier: String?
    var trackingURL: String?
    var notifyCustomer: Bool
    var lines: [Line]
    var rows: [Int]

    init(_ mapped: MappedShipment) {
        let shipment = mapped.shipment
        order = shipment.order
        trackingNumber = shipment.trackingNumber
        carrier = shipment.carrier
        trackingURL = shipment.trackingURL
        notifyCustomer = shipment.notifyCustomer
        lines = shipment.lines.map { Line(sku: $0.sku, quantity: $0.quantity, row: $0.row) }
        rows = mapped.rows
    }
}
