import Formats

/// The plain-language `NAME.error.txt` placed next to a failed file, for admins who are not
/// programmers: what is wrong, where, and how to fix it. Rendered from the receipt alone, so it
/// can be written again after a crash.
enum ErrorReport {
    static let shownProblems = 50

    static func render(_ receipt: Receipt) -> String {
        var text = ""
        let failed = receipt.status == "failed"
        if receipt.status == "held" { return renderHeld(receipt) }
        text += failed
            ? "Hafen could not use the file \"\(receipt.file)\" (flow \"\(receipt.flow)\", ledger #\(receipt.id)).\n\n"
            : "Hafen used the file \"\(receipt.file)\" (flow \"\(receipt.flow)\", ledger #\(receipt.id)), but left some rows out.\n\n"
        text += "What happened\n  \(receipt.summary)\n"
        if failed {
            text += receipt.rows.read > 0 && receipt.policy == FlowConfig.ErrorPolicy.rejectFile.rawValue
                ? "  Nothing from this file was applied (this flow rejects a file with any error).\n"
                : "  Nothing from this file was applied.\n"
        } else if let rejected = receipt.rejectedRowsFile {
            text += "  \(receipt.rows.valid) rows were applied; the \(receipt.rows.rejected) rejected rows are in \(rejected).\n"
        }
        if !receipt.errors.isEmpty {
            text += "\nWhere (\(receipt.errorsTotal) problem\(receipt.errorsTotal == 1 ? "" : "s")"
            text += receipt.errorsTotal > shownProblems ? ", the first \(shownProblems) shown; all are in the receipt)\n" : ")\n"
            for diagnostic in receipt.errors.prefix(shownProblems) {
                text += "  " + describe(diagnostic) + "\n"
            }
        }
        let codes = Array(Set(receipt.errors.map(\.code))).sorted { $0.rawValue < $1.rawValue }
        if !codes.isEmpty {
            text += "\nHow to fix it\n"
            for code in codes {
                text += "  \(code.rawValue) (\(code.title)): \(code.remedy)\n"
            }
        }
        text += "\nThen\n"
        if failed {
            text += "  Either export a corrected file from the ERP into the inbox again, or correct this file here and run:\n"
            text += "    hafen reprocess \(receipt.id)\n"
        } else if receipt.rejectedRowsFile != nil {
            text += "  Correct the rejected rows (in the ERP, or in the .rejected.csv file here) and run:\n"
            text += "    hafen reprocess \(receipt.id)\n"
        } else {
            text += "  Correct the named rows in the ERP (or what the shop lacks) and export them again: what this file\n"
            text += "  sent is recorded and is not sent a second time.\n"
        }
        text += "\nDetails: hafen show \(receipt.id)\n"
        return text
    }

    /// The report of a file a safety valve holds back.
    static func renderHeld(_ receipt: Receipt) -> String {
        """
        Hafen is holding the file "\(receipt.file)" (flow "\(receipt.flow)", ledger #\(receipt.id)) back.

        What happened
          \(receipt.summary)
          The file is valid, but nothing from it has been sent: a much shorter export than usual
          is more often a failed or partial export job than a real change.

        Then
          If the file is right (the articles really were removed), send it with:
            hafen approve \(receipt.id)
          Otherwise export a complete file from the ERP into the inbox again.

        Details: hafen show \(receipt.id)

        """
    }

    /// "line 14, column 4 (EAN): "4001234567891" is not a valid EAN-13: …" (a shop's answer
    /// names the row (a CSV row or an XML record, counted from 1) where no line is known).
    static func describe(_ d: Diagnostic) -> String {
        var place: [String] = []
        if let line = d.position.line {
            place.append("line \(line)")
        } else if let row = d.position.row {
            place.append("row \(row)")
        }
        if let column = d.position.column { place.append("column \(column)") }
        var text = place.joined(separator: ", ")
        if let field = d.field { text += (text.isEmpty ? "" : " ") + "(\(DiagnosticFormatter.escaped(field)))" }
        text += text.isEmpty ? "" : ": "
        if let value = d.value { text += "\"\(DiagnosticFormatter.escaped(value))\" – " }
        text += d.message
        return text + " [\(d.code.rawValue)]"
    }
}
