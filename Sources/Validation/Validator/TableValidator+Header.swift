public import Formats

extension TableValidator {
    /// Lines the header up with the schema (`fieldsMatch`). Returns false when the columns cannot
    /// be matched; rows are then not validated, since every cell would be read in the wrong column.
    ///
    /// A blank last name means the lines end with a delimiter (unless `trailingDelimiter` is
    /// `.never`): that place is not a column, and each row may hold an empty field there.
    public mutating func checkHeader(
        _ header: CSVRecord, delimiter: UInt8?, trailingDelimiter: CSVDialect.TrailingDelimiter = .auto,
        into log: inout DiagnosticLog
    ) -> Bool {
        var names = header.fields
        trailingField = false
        if trailingDelimiter != .never, names.count > 1, names.last!.allSatisfy(\.isWhitespace) {
            names.removeLast()
            trailingField = true
        }
        expectedFieldCount = names.count
        let errorsBefore = log.errorCount
        func at(_ column: Int?) -> Position { position(line: header.line, column: column, row: header.number) }

        var seen: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            if let first = seen[name] {
                log.append(Diagnostic(.duplicateColumn, at: at(i + 1), field: name, rule: "header",
                                      message: "the column \"\(name)\" appears twice (columns \(first + 1) and \(i + 1))"))
            } else {
                seen[name] = i
            }
        }
        let fieldNames = rules.map(\.name)
        switch schema.fieldsMatch {
        case .exact:
            for i in 0..<max(names.count, fieldNames.count) {
                if i >= names.count {
                    log.append(Diagnostic(.missingColumn, at: at(i + 1), field: fieldNames[i], rule: "header",
                                          message: "the column \"\(fieldNames[i])\" is missing (expected as column \(i + 1))"))
                } else if i >= fieldNames.count {
                    log.append(Diagnostic(.extraColumn, at: at(i + 1), field: names[i], rule: "header",
                                          message: "the column \"\(names[i])\" is not in the schema"))
                } else if names[i] != fieldNames[i] {
                    log.append(Diagnostic(.wrongColumnName, at: at(i + 1), field: fieldNames[i], value: names[i], rule: "header",
                                          message: "column \(i + 1) is \"\(names[i])\", the schema expects \"\(fieldNames[i])\""))
                }
            }
            columns = Array(0..<rules.count).map { $0 < names.count ? $0 : nil }
        case .equal, .subset, .superset, .partial:
            columns = fieldNames.map { seen[$0] }
            let needsAll = schema.fieldsMatch == .equal || schema.fieldsMatch == .subset
            let forbidsExtra = schema.fieldsMatch == .equal || schema.fieldsMatch == .superset
            if needsAll {
                for (i, name) in fieldNames.enumerated() where columns[i] == nil {
                    log.append(Diagnostic(.missingColumn, at: at(nil), field: name, rule: "header", message: "the column \"\(name)\" is missing"))
                }
            }
            if forbidsExtra {
                for (i, name) in names.enumerated() where !fieldNames.contains(name) {
                    log.append(Diagnostic(.extraColumn, at: at(i + 1), field: name, rule: "header", message: "the column \"\(name)\" is not in the schema"))
                }
            }
            if schema.fieldsMatch == .partial && !columns.contains(where: { $0 != nil }) {
                log.append(Diagnostic(.missingColumn, at: at(nil), rule: "header", message: "none of the schema's columns is in the file"))
            }
        }
        let failed = log.errorCount > errorsBefore
        if failed && names.count == 1 && fieldNames.count > 1 {
            log.append(Diagnostic(
                .missingColumn, at: at(nil), rule: "dialect",
                message: "expected \(fieldNames.count) columns, got 1; is the delimiter right? (read with \"\(CSVDialect.describe(delimiter))\")"))
        }
        return !failed
    }
}
