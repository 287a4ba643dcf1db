import Transport
import Commerce
import Crypto
import Formats
import Logging
import Foundation
public import Ledger
import Shops
import XML

/// Writing outbound files so that each is complete or absent: the ledger row first, then the
/// temporary file (synced, read back and checked), its checksum recorded, the `NAME.sha256`
/// sidecar, and last the file under its name. A crash at any step is put right by
/// `recoverExports` before the next export.
extension ExportPipeline {
    struct ExportFileError: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes one file holding `items` (one order per file, or a batch).
    func write(_ items: [ExportBatch.Item], flow: ExportConfig, run: inout ExportRun, now: Date) throws {
        let directory = config.absolute(flow.target)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let renderer = ExportRenderer(config: flow)
        let first = items[0]
        let fields = flow.file == .perOrder ? renderer.fields(for: first.subject, kind: first.kind, now: now) : nil
        let kindLabel = items.allSatisfy({ $0.kind == first.kind }) ? first.kind.rawValue : "mixed"
        let name = try freeName(
            FileNamePattern.render(flow.namePattern, fields: fields, kind: kindLabel, flow: flow.name, seq: run.files.count + 1, now: now),
            in: directory, overwrite: flow.overwrite)
        let path = directory + "/" + name
        // The content is made first, so its size and checksum go into the ledger before a byte
        // is written: after a crash, a file is recognised as complete by its checksum.
        let rowCount = items.reduce(0) { $0 + $1.rows.count }
        let bytes: [UInt8]
        do {
            bytes = try content(items, flow: flow, renderer: renderer)
        } catch {
            // A character the file's encoding lacks: these orders are reported, not written.
            for item in items { run.failures.append("order \(item.subject.name): \(error)") }
            return
        }
        if let schema = flow.xml?.schema {
            // Each record was checked alone; the whole file is checked before it is released
            // (a key unique across records, say).
            let issues = schema.validate(bytes, name: name)
            guard issues.isEmpty else {
                let names = items.map(\.subject.name).joined(separator: ", ")
                run.failures.append("\(name) (\(names)) not written: XSD " + issues.map(\.description).joined(separator: "; "))
                return
            }
        }
        let sha = SHA256.hash(data: bytes).hex
        let size = Int64(bytes.count)
        let file = try AtomicFile(path: path)
        let records = items.map {
            ExportRecord(flow: flow.name, objectID: $0.subject.id, version: $0.version, objectName: $0.subject.name, kind: $0.kind, contentHash: $0.hash,
                         fileID: nil, at: now)
        }
        let id = try ledger.beginExportFile(
            flow: flow.name, name: name, path: path, temporaryPath: file.temporaryPath, size: size, sha256: sha, records: records)
        CrashPoint.exportBegun.reach()
        do {
            try file.write(bytes)
            try file.finish()
            if flow.xml == nil {
                try verify(file.temporaryPath, flow: flow, rows: rowCount, columns: renderer.header.count)
            } else {
                try verify(file.temporaryPath, sha256: sha)
            }
        } catch {
            try? ledger.abandonExportFile(id: id)
            throw ExportFileError(description: "export \(flow.name): cannot write \(name): \(error)")
        }
        CrashPoint.exportSynced.reach()
        try AtomicFile.write(Array("\(sha)  \(name)\n".utf8), to: path + ".sha256")
        try file.place(replacing: flow.overwrite)
        CrashPoint.exportPlaced.reach()
        try ledger.completeExportFile(id: id)
        let written = try ledger.exportFile(id: id)
        if let written { try deliveries.queueDelivery(of: written, flow: flow) }
        try writeReceipt(ExportReceipt(
            id: id, flow: flow.name, file: name, path: config.display(path), size: size, sha256: sha, writtenAt: Receipt.timestamp(now), shop: flow.shop,
            rows: rowCount, records: items.map { .init(order: $0.subject.name, id: $0.subject.id, version: $0.version, kind: $0.kind.rawValue) }))
        for item in items { run.written[item.kind, default: 0] += 1 }
        if let written { run.files.append(written) }
        logger.info("wrote", metadata: ["flow": "\(flow.name)", "file.name": "\(name)", "file.sha256": "\(sha)", "orders": "\(items.count)"])
    }

    /// After a run with several files: `MANIFEST_<yyyyMMdd-HHmmss>_<first id>.sha256` in the
    /// outbox, one `SHA256  NAME` line per file (`sha256sum -c` checks the whole run).
    func writeManifest(_ run: ExportRun, flow: ExportConfig) throws {
        guard flow.manifest, run.files.count > 1, let first = run.files.first else { return }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let lines = run.files.map { "\($0.sha256 ?? "")  \($0.name)\n" }.joined()
        let path = config.absolute(flow.target) + "/MANIFEST_\(formatter.string(from: Date()))_\(first.id).sha256"
        try AtomicFile.write(Array(lines.utf8), to: path)
    }

    /// Reads the temporary file back in the flow's dialect: every row there, every row complete.
    /// The file's bytes as the flow writes them: CSV in its dialect, or the XML document.
    private func content(_ items: [ExportBatch.Item], flow: ExportConfig, renderer: ExportRenderer) throws -> [UInt8] {
        if let layout = flow.xml { return try ExportXMLDocument.render(items, header: renderer.header, layout: layout) }
        var writer = CSVWriter(dialect: flow.dialect, protectFormulas: flow.protectFormulas)
        var bytes = writer.preamble
        if flow.dialect.header { bytes += try writer.encode(renderer.header) }
        for item in items {
            for row in item.rows {
                writer.numericColumns = row.numeric
                bytes += try writer.encode(row.cells)
            }
        }
        return bytes
    }

    /// An XML file read back must be the bytes made (they were validated before writing).
    private func verify(_ path: String, sha256: String) throws {
        let read = try Data(contentsOf: URL(fileURLWithPath: path))
        guard SHA256.hash(data: read).hex == sha256 else { throw ExportFileError(description: "read back, the file differs from what was written") }
    }

    private func verify(_ path: String, flow: ExportConfig, rows: Int, columns: Int) throws {
        let reader = CSVReader(source: try FileInput(path: path), dialect: flow.dialect)
        var count = 0
        while let record = try reader.next() {
            count += 1
            guard record.count == columns else {
                throw ExportFileError(description: "read back, line \(record.line) has \(record.count) fields instead of \(columns)")
            }
        }
        let expected = rows + (flow.dialect.header ? 1 : 0)
        guard count == expected else { throw ExportFileError(description: "read back \(count) records instead of \(expected)") }
    }

    /// `name`, or `name-2`, `name-3` … when a file of that name is in the folder (or being written).
    private func freeName(_ name: String, in directory: String, overwrite: Bool) throws -> String {
        if overwrite { return name }
        let inFlight = Set(try ledger.exportFiles(state: .writing).map(\.path))
        let ext = (name as NSString).pathExtension
        let stem = ext.isEmpty ? name : String(name.dropLast(ext.count + 1))
        var candidate = name
        var number = 1
        while FileManager.default.fileExists(atPath: directory + "/" + candidate) || inFlight.contains(directory + "/" + candidate) {
            number += 1
            candidate = ext.isEmpty ? "\(stem)-\(number)" : "\(stem)-\(number).\(ext)"
        }
        return candidate
    }

    private func writeReceipt(_ receipt: ExportReceipt) throws {
        let directory = config.absolute(config.receiptsDirectory) + "/" + receipt.flow
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(Array(try encoder.encode(receipt)) + [0x0A], to: directory + "/" + receipt.file + ".receipt.json")
    }

    /// Puts interrupted writes right: a file already in place (recognised by its checksum) is
    /// marked written; a complete temporary file is put into place; anything else is removed and
    /// its orders released, so the next run writes them.
    public func recoverExports() throws {
        for file in try ledger.exportFiles(state: .writing) {
            let overwrite = config.export(named: file.flow)?.overwrite ?? false
            let sidecar = Array("\(file.sha256 ?? "")  \(file.name)\n".utf8)
            let inPlace = FileManager.default.fileExists(atPath: file.path) && (try? FileDigest.sha256(ofFile: file.path)) == file.sha256
            if inPlace {
                unlink(file.temporaryPath)
                if (try? Data(contentsOf: URL(fileURLWithPath: file.path + ".sha256"))) != Data(sidecar) {
                    try AtomicFile.write(sidecar, to: file.path + ".sha256")
                }
            } else if FileManager.default.fileExists(atPath: file.temporaryPath), (try? FileDigest.sha256(ofFile: file.temporaryPath)) == file.sha256 {
                do {
                    try AtomicFile.write(sidecar, to: file.path + ".sha256")
                    try AtomicFile.place(file.temporaryPath, at: file.path, replacing: overwrite)
                } catch {
                    unlink(file.temporaryPath)
                    try ledger.abandonExportFile(id: file.id)
                    logger.warning("export could not be put into place; its orders will be written again", metadata: ["file.name": "\(file.name)", "error": "\(error)"])
                    continue
                }
            } else {
                unlink(file.temporaryPath)
                try ledger.abandonExportFile(id: file.id)
                logger.notice("export interrupted while writing; its orders will be written again", metadata: ["flow": "\(file.flow)", "file.name": "\(file.name)"])
                continue
            }
            try ledger.completeExportFile(id: file.id)
            logger.notice("export finished after an interruption", metadata: ["flow": "\(file.flow)", "file.name": "\(file.name)"])
        }
        try deliveries.queueUnqueued()
    }

    /// Marks written files the ERP acknowledged (an ack file by the flow's pattern) or took
    /// away; answers the ones still waiting past the flow's `overdue` time.
    @discardableResult
    public func checkAcknowledgements() throws -> [ExportFile] {
        var overdue: [ExportFile] = []
        let now = Date()
        for file in try ledger.exportFiles(state: .written) {
            // Files for a partner count as delivered once they are in place on its server.
            guard let flow = config.export(named: file.flow), !flow.deliversToPartner else { continue }
            let directory = (file.path as NSString).deletingLastPathComponent
            if let pattern = flow.ack {
                let stem = (file.name as NSString).deletingPathExtension
                let ack = directory + "/" + pattern.replacingOccurrences(of: "{name}", with: file.name).replacingOccurrences(of: "{stem}", with: stem)
                if FileManager.default.fileExists(atPath: ack) {
                    try ledger.markDelivered(id: file.id, by: "ack")
                    continue
                }
            }
            if !FileManager.default.fileExists(atPath: file.path) {
                try ledger.markDelivered(id: file.id, by: "removed")
                continue
            }
            if let written = file.writtenAt, now.timeIntervalSince(written) > Self.seconds(flow.overdue) { overdue.append(file) }
        }
        return overdue
    }
}
