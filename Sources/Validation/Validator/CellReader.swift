public import Formats

/// Reads the typed cells of records once the header has placed the columns.
public struct CellReader: Sendable {
    let rules: [FieldRule]
    let columns: [Int?]

    /// 1-based file column of each schema field present in the file.
    public var columnNumbers: [String: Int] {
        var numbers: [String: Int] = [:]
        for (index, rule) in rules.enumerated() {
            if let column = columns[index] { numbers[rule.name] = column + 1 }
        }
        return numbers
    }

    /// The cells of a record by column name, cast by their fields: numbers and booleans typed,
    /// missing values null, everything else as written. Meant for records that passed
    /// validation; a cell that does not cast is passed on as text.
    public func cells(_ record: CSVRecord) -> [String: TypedCell] {
        var cells: [String: TypedCell] = [:]
        cells.reserveCapacity(rules.count)
        record.withFields { fields in
            for (index, rule) in rules.enumerated() {
                guard let column = columns[index], column < fields.count else {
                    cells[rule.name] = .null
                    continue
                }
                let bytes = fields[column]
                let cell: TypedCell
                switch rule.check(bytes) {
                case .null?: cell = .null
                case .value(.integer(let v))?: cell = .integer(v)
                case .value(.number(let v))?: cell = .number(v)
                case .value(.boolean(let v))?: cell = .boolean(v)
                default: cell = .text(String(decoding: bytes, as: UTF8.self))
                }
                cells[rule.name] = cell
            }
        }
        return cells
    }
}

extension TableValidator {
    /// Reads typed cells with the columns as the header placed them.
    public var cellReader: CellReader { CellReader(rules: rules, columns: columns) }
}
