import Foundation
import XML

/// An XML export file from rendered rows: the document element, a record element per order
/// (refund, customer) with its record-level columns, and inside it a line element per row with
/// the line-level columns. Blank values are left out (an empty element would rarely satisfy an
/// XSD type). Columns named `@name` become attributes.
enum ExportXMLDocument {
    static func render(_ items: [ExportBatch.Item], header: [String], layout: XMLLayout) throws(XMLError) -> [UInt8] {
        let writer = try XMLWriter(encoding: layout.encoding)
        try writer.start(layout.root, namespace: layout.namespace)
        for item in items {
            guard let first = item.rows.first else { continue }
            try writer.start(layout.record)
            let recordColumns = header.indices.filter { !layout.lineColumns.contains($0) }
            try write(first.cells, columns: recordColumns, header: header, to: writer)
            if !layout.lineColumns.isEmpty {
                if let lines = layout.lines { try writer.start(lines) }
                for row in item.rows {
                    try writer.start(layout.line)
                    try write(row.cells, columns: header.indices.filter { layout.lineColumns.contains($0) }, header: header, to: writer)
                    try writer.end()
                }
                if layout.lines != nil { try writer.end() }
            }
            try writer.end()
        }
        try writer.end()
        return try writer.finish()
    }

    /// Attributes first (XML wants them before any child), then elements, in column order.
    private static func write(_ cells: [String], columns: [Int], header: [String], to writer: XMLWriter) throws(XMLError) {
        for index in columns where header[index].hasPrefix("@") && !cells[index].isEmpty {
            try writer.attribute(String(header[index].dropFirst()), cells[index])
        }
        for index in columns where !header[index].hasPrefix("@") && !cells[index].isEmpty {
            try writer.element(header[index], text: cells[index])
        }
    }

    /// Problems with one item alone against the flow's schema (so a bad order is named and left
    /// out, not the whole batch); empty when it fits or there is no schema.
    static func problems(of item: ExportBatch.Item, header: [String], layout: XMLLayout, schema: XMLSchema?) -> [String] {
        do {
            let bytes = try render([item], header: header, layout: layout)
            return schema?.validate(bytes, name: item.subject.name).map { "XSD \(($0.path.map { $0 + ": " }) ?? "")\($0.message)" } ?? []
        } catch {
            return [error.description]
        }
    }
}
