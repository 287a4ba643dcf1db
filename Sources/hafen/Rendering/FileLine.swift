import Foundation
import Gateway
import Ledger

/// One line per file for `run --once` and listings: state, id, flow/name, rows, where it is.
enum FileLine {
    static func render(_ entry: FileEntry, config: GatewayConfig) -> String {
        var text = "\(entry.state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) #\(entry.id)  \(entry.flow)/\(entry.name)"
        if let read = entry.rowsRead, entry.state != .duplicate {
            text += "  \(read) rows"
            if let rejected = entry.rowsRejected, rejected > 0 { text += ", \(rejected) rejected" }
        }
        if entry.state == .duplicate, let first = entry.duplicateOf { text += "  duplicate of #\(first)" }
        if let path = entry.finalPath { text += "  → \(config.display(path))" }
        if entry.state == .failed || entry.state == .partial { text += "  (hafen show \(entry.id))" }
        return text
    }
}
