import Commerce
import Foundation
import Ledger
import Mapping

/// Turns an order into the rows of an export file: one per line (plus shipping rows when
/// configured) or one per order, each column computed by its map, numbers in the flow's format.
struct ExportRenderer {
    /// Why an order cannot become rows: the column and the reason.
    struct Failure: Error, CustomStringConvertible {
        var order: String
        var column: String
        var message: String

        var description: String { "order \(order), column \(column): \(message)" }
    }

    /// A rendered row: its cells, and which of them are numbers (never formula-protected).
    struct Row: Equatable {
        var cells: [String]
        var numeric: Set<Int>
    }

    let config: ExportConfig
    private let dates: DateFormatter

    init(config: ExportConfig) {
        self.config = config
        dates = OrderFields.dateFormatter(config)
    }

    var header: [String] { config.columns.map(\.header) }

    func rows(for subject: ExportSubject, kind: ExportKind, now: Date) throws(Failure) -> [Row] {
        let fields = fields(for: subject, kind: kind, now: now)
        switch subject.content {
        case .customer:
            return [try row(fields, subject: subject)]
        case .refund(let refund, _, let order):
            return try rows(for: refund, of: order, fields: fields, subject: subject)
        case .order(let order):
            guard config.rows == .lines else { return [try row(fields, subject: subject)] }
            var rows: [Row] = []
            for (index, line) in order.lines.enumerated() {
                rows.append(try row(fields.with(line: line, number: index + 1, kind: "item"), subject: subject))
            }
            if let sku = config.shippingSKU {
                for shipping in order.shippingLines {
                    let line = OrderLine(id: "", sku: sku, title: shipping.title, quantity: 1, unitPrice: shipping.price, taxes: shipping.taxes)
                    rows.append(try row(fields.with(line: line, number: rows.count + 1, kind: "shipping"), subject: subject))
                }
            }
            return rows
        }
    }

    /// A credit document's rows: one per refunded line (and the refunded shipping, with
    /// `shipping_as_line`), or one for the whole refund.
    private func rows(for refund: Refund, of order: Order, fields: OrderFields, subject: ExportSubject) throws(Failure) -> [Row] {
        guard config.rows == .lines else { return [try row(fields, subject: subject)] }
        var rows: [Row] = []
        for (number, line) in refund.lines.enumerated() {
            rows.append(try row(fields.with(refundLine: line, number: number + 1, kind: "item"), subject: subject))
        }
        if let sku = config.shippingSKU, refund.shipping > 0 {
            let line = RefundLine(
                lineID: "", sku: sku, title: order.shippingLines.first?.title ?? "Versand", quantity: 1, restock: false, unitPrice: refund.shipping,
                subtotal: refund.shipping, tax: refund.shippingTax)
            rows.append(try row(fields.with(refundLine: line, number: rows.count + 1, kind: "shipping"), subject: subject))
        }
        return rows
    }

    /// The subject's fields (an order's; with its refund's; a customer's), also for file names.
    func fields(for subject: ExportSubject, kind: ExportKind, now: Date) -> OrderFields {
        switch subject.content {
        case .order(let order):
            return OrderFields(order: order, kind: kind, config: config, now: now, dates: dates)
        case .refund(let refund, let index, let order):
            return OrderFields(order: order, kind: kind, config: config, now: now, dates: dates).with(refund: refund, index: index, order: order, dates: dates)
        case .customer(let customer):
            return OrderFields(customer: customer, kind: kind, config: config, now: now, dates: dates)
        }
    }

    private func row(_ fields: OrderFields, subject: ExportSubject) throws(Failure) -> Row {
        var cells: [String] = []
        var numeric: Set<Int> = []
        cells.reserveCapacity(config.columns.count)
        for (index, column) in config.columns.enumerated() {
            var value: Value
            do {
                value = try column.map.expression.evaluate { fields[$0] }
            } catch {
                throw Failure(order: subject.name, column: column.header, message: error.message)
            }
            if let table = column.map.table, !value.isBlank {
                guard let mapped = table.look(up: value.text) else {
                    throw Failure(order: subject.name, column: column.header, message: "\"\(value.text)\" is not in \(table.name.map { "table \($0)" } ?? "the column's table"), which has no default")
                }
                value = .text(mapped)
            }
            if case .number(let number) = value {
                numeric.insert(index)
                cells.append(format(number, decimals: column.decimals))
            } else {
                cells.append(value.text)
            }
        }
        return Row(cells: cells, numeric: numeric)
    }

    func format(_ number: Decimal, decimals: Int?) -> String {
        var text: String
        if let decimals {
            var value = number
            var rounded = Decimal()
            NSDecimalRound(&rounded, &value, decimals, .plain)
            text = NSDecimalNumber(decimal: rounded).stringValue
            if decimals > 0 {
                let have = text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 } ?? -1
                if have < 0 { text += "." }
                text += String(repeating: "0", count: max(0, decimals - max(have, 0)))
            }
        } else {
            text = Value.number(number).text
        }
        return config.decimalSeparator == "," ? text.replacingOccurrences(of: ".", with: ",") : text
    }
}
