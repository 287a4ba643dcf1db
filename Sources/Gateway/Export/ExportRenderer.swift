import Transport
import Commerce
import Crypto
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

    /// An object rendered once: its rows as an original written now, and the SHA-256 of its
    /// rows as an original on a fixed date, so a new version with the same rows is recognised
    /// as unchanged. `rows(of:as:)` gives the rows of another kind without rendering again.
    struct Rendered {
        var rows: [Row]
        var hash: String
        /// Each row's fields, for the columns that depend on the kind.
        fileprivate var fields: [OrderFields]
    }

    let config: ExportConfig
    private let dates: DateFormatter
    /// Columns that read `export.kind` or `export.date`: the only ones that differ between the
    /// rows written and the rows hashed, so the only ones evaluated twice.
    private let stampColumns: [Int]
    private static let stampNames: Set<String> = ["export.kind", "export.date"]
    /// The date the content hash is rendered on.
    private static let hashDate = Date(timeIntervalSince1970: 0)

    init(config: ExportConfig) {
        self.config = config
        dates = OrderFields.dateFormatter(config)
        stampColumns = config.columns.indices.filter { !Self.stampNames.isDisjoint(with: config.columns[$0].map.expression.columns) }
    }

    var header: [String] { config.columns.map(\.header) }

    /// Renders a subject once: the rows as an original written `now`, and the content hash.
    func render(_ subject: ExportSubject, now: Date) throws(Failure) -> Rendered {
        let fields = rowFields(for: subject, kind: .original, now: now)
        var rows: [Row] = []
        rows.reserveCapacity(fields.count)
        for rowFields in fields { rows.append(try row(rowFields, subject: subject)) }
        var hashed = rows
        if !stampColumns.isEmpty {
            let date = Value.text(dates.string(from: Self.hashDate))
            for index in hashed.indices {
                try restamp(&hashed[index], fields: fields[index].stamped(kind: .original, date: date), subject: subject)
            }
        }
        return Rendered(rows: rows, hash: Self.hash(hashed), fields: fields)
    }

    /// The rendered rows as a file of `kind` writes them (only the kind's columns evaluated again).
    func rows(of rendered: Rendered, as kind: ExportKind, subject: ExportSubject) throws(Failure) -> [Row] {
        guard kind != .original, !stampColumns.isEmpty else { return rendered.rows }
        var rows = rendered.rows
        for index in rows.indices {
            try restamp(&rows[index], fields: rendered.fields[index].stamped(kind: kind, date: nil), subject: subject)
        }
        return rows
    }

    /// SHA-256 over the cells, with unit and record separators.
    private static func hash(_ rows: [Row]) -> String {
        var hasher = SHA256()
        for row in rows {
            for cell in row.cells {
                hasher.update(data: Array(cell.utf8))
                hasher.update(data: [0x1F])
            }
            hasher.update(data: [0x1E])
        }
        return hasher.finalize().hex
    }

    /// Each row's fields: one per line (plus shipping rows when configured), or one per order.
    private func rowFields(for subject: ExportSubject, kind: ExportKind, now: Date) -> [OrderFields] {
        let fields = fields(for: subject, kind: kind, now: now)
        switch subject.content {
        case .customer:
            return [fields]
        case .refund(let refund, _, let order):
            return rowFields(for: refund, of: order, fields: fields)
        case .order(let order):
            guard config.rows == .lines else { return [fields] }
            var rows: [OrderFields] = []
            for (index, line) in order.lines.enumerated() {
                rows.append(fields.with(line: line, number: index + 1, kind: "item"))
            }
            if let sku = config.shippingSKU {
                for shipping in order.shippingLines {
                    let line = OrderLine(id: "", sku: sku, title: shipping.title, quantity: 1, unitPrice: shipping.price, taxes: shipping.taxes)
                    rows.append(fields.with(line: line, number: rows.count + 1, kind: "shipping"))
                }
            }
            return rows
        }
    }

    /// A credit document's rows: one per refunded line (and the refunded shipping, with
    /// `shipping_as_line`), or one for the whole refund.
    private func rowFields(for refund: Refund, of order: Order, fields: OrderFields) -> [OrderFields] {
        guard config.rows == .lines else { return [fields] }
        var rows: [OrderFields] = []
        for (number, line) in refund.lines.enumerated() {
            rows.append(fields.with(refundLine: line, number: number + 1, kind: "item"))
        }
        if let sku = config.shippingSKU, refund.shipping > 0 {
            let line = RefundLine(
                lineID: "", sku: sku, title: order.shippingLines.first?.title ?? "Versand", quantity: 1, restock: false, unitPrice: refund.shipping,
                subtotal: refund.shipping, tax: refund.shippingTax)
            rows.append(fields.with(refundLine: line, number: rows.count + 1, kind: "shipping"))
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
        for index in config.columns.indices {
            let (text, isNumber) = try cell(index, fields: fields, subject: subject)
            if isNumber { numeric.insert(index) }
            cells.append(text)
        }
        return Row(cells: cells, numeric: numeric)
    }

    /// Evaluates the columns that read `export.kind` or `export.date` again with other fields.
    private func restamp(_ row: inout Row, fields: OrderFields, subject: ExportSubject) throws(Failure) {
        for index in stampColumns {
            let (text, isNumber) = try cell(index, fields: fields, subject: subject)
            row.cells[index] = text
            if isNumber { row.numeric.insert(index) } else { row.numeric.remove(index) }
        }
    }

    /// One column's cell: its expression, its value table, numbers in the flow's format.
    private func cell(_ index: Int, fields: OrderFields, subject: ExportSubject) throws(Failure) -> (String, numeric: Bool) {
        let column = config.columns[index]
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
        if case .number(let number) = value { return (format(number, decimals: column.decimals), true) }
        return (value.text, false)
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
