import Transport
import Formats

/// The rejected records of a `skip-rows` file, written back in the file's own dialect with the
/// schema's header, for an admin to correct and reprocess. Opened at the first rejected record
/// (under a temporary name beside `path`); kept only when the file's outcome is `partial`.
final class RejectedRows {
    let path: String
    private let layout: RejectedRowsLayout
    private var file: AtomicFile?
    private var writer: CSVWriter?

    init(path: String, layout: RejectedRowsLayout) {
        self.path = path
        self.layout = layout
    }

    /// Whether any record was written.
    var isEmpty: Bool { file == nil }

    func add(_ fields: [String]) throws {
        if file == nil {
            let writer = CSVWriter(dialect: layout.dialect)
            let file = try AtomicFile(path: path)
            try file.write(writer.preamble)
            if layout.dialect.header { try file.write(try writer.encode(layout.header)) }
            self.file = file
            self.writer = writer
        }
        try file!.write(try writer!.encode(fields))
    }

    /// Forgets what was written (the records come again with their final verdicts).
    func restart() {
        file = nil
        writer = nil
    }

    /// Puts the file in place at `path`; false when nothing was rejected.
    func keep() throws -> Bool {
        guard let file else { return false }
        try file.commit()
        self.file = nil
        return true
    }
}
