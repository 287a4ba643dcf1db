import Commerce
import Crypto
import Formats
import Logging
import Foundation
public import Ledger
import Shops

/// Writing outbound files so that each is complete or absent: the ledger row first, then the
/// temporary file (synced, read back and checked), its checksum recorded, the `NAME.sha256`
/// sidecar, and last the file under its name. A crash at any step is put right by
/// `recoverExports` before the next export.
extension Gateway {
    struct ExportFileError: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes one file holding `items` (one order per file, or a batch).
    func write(_ items: [ExportBatch.Item], flow: ExportConfig, run: inout ExportRun, now: Date) throws {
        let directory = config.absolute(flow.target)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let renderer = ExportRenderer(config: flow)
        let first = items[0]
        let fields = flow.file == .perOrder ? renderer.fields(for: first.order, kind: first.kind, now: now) : nil
        let kindLabel = items.allSatisfy({ $0.kind == first.kind }) ? first.kind.rawValue : "mixed"
        let name = try freeName(
            FileNamePattern.render(flow.namePattern, fields: fields, kind: kindLabel, flow: flow.name, seq: run.files.count + 1, now: now),
            in: directory, overwrite: flow.overwrite)
        let path = directory + "/" + name
        let file = try AtomicFile(path: path)
        let records = items.map {
            ExportRecord(flow: flow.name, objectID: $0.order.id, version: $0.version, objectName: $0.order.name, kind: $0.kind, contentHash: $0.hash,
                         fileID: nil, at: now)
        }
        let id = try ledger.beginExportFile(flow: flow.name, name: name, path: path, temporaryPath: file.temporaryPath, records: records)
        CrashPoint.exportBegun.reach()
        let sha: String
        let size: Int64
        let rowCount = items.reduce(0) { $0 + $1.rows.count }
        do {
            var writer = CSVWriter(dialect: flow.dialect, protectFormulas: flow.protectFormulas)
            var hasher = SHA256()
            func emit(_ bytes: [UInt8]) throws {
                hasher.update(data: bytes)
                try file.write(bytes)
            }
            try emit(writer.preamble)
            if flow.dialect.header { try emit(try writer.encode(renderer.header)) }
            for item in items {
                for row in item.rows {
                    writer.numericColumns = row.numeric
                    try emit(try writer.encode(row.cells))
                }
            }
            size = try file.finish()
            sha = hasher.finalize().hex
            try verify(file.temporaryPath, flow: flow, rows: rowCount, columns: renderer.header.count)
        } catch {
            try? ledger.abandonExportFile(id: id)
            throw ExportFileError(description: "export \(flow.name): cannot write \(name): \(error)")
        }
        try ledger.stageExportFile(id: id, size: size, sha256: sha)
        CrashPoint.exportStaged.reach()
        try AtomicFile.write(Array("\(sha)  \(name)\n".utf8), to: path + ".sha256")
        try file.place(replacing: flow.overwrite)
        CrashPoint.exportPlaced.reach()
        try ledger.completeExportFile(id: id)
        try writeReceipt(ExportReceipt(
            id: id, flow: flow.name, file: name, path: config.display(path), size: size, sha256: sha, writtenAt: Receipt.timestamp(now), shop: flow.shop,
            rows: rowCount, records: items.map { .init(order: $0.order.name, id: $0.order.id, version: $0.version, kind: $0.kind.rawValue) }))
        for item in items { run.written[item.kind, default: 0] += 1 }
        if let written = try ledger.exportFile(id: id) { run.files.append(written) }
        logger.info("wrote", metadata: ["flow": "\(flow.name)", "file.name": "\(name)", "file.sha256": "\(sha)", "orders": "\(items.count)"])
    }

    /// Reads the temporary file back in the flow's dialect: every row there, every row complete.
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
        let inFlight = Set(try ledger.exportFiles(state: .writing).map(\.path) + ledger.exportFiles(state: .staged).map(\.path))
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

    /// Puts interrupted writes right: a file still being written is removed and its orders
    /// released (the next run writes them); a staged file is put into place, or recognised as
    /// already there by its checksum.
    public func recoverExports() throws {
        for file in try ledger.exportFiles(state: .writing) {
            unlink(file.temporaryPath)
            try ledger.abandonExportFile(id: file.id)
            logger.notice("export interrupted while writing; its orders will be written again", metadata: ["flow": "\(file.flow)", "file.name": "\(file.name)"])
        }
        for file in try ledger.exportFiles(state: .staged) {
            let overwrite = config.export(named: file.flow)?.overwrite ?? false
            let inPlace = FileManager.default.fileExists(atPath: file.path) && (try? Self.sha256(ofFile: file.path)) == file.sha256
            if !inPlace, FileManager.default.fileExists(atPath: file.temporaryPath), (try? Self.sha256(ofFile: file.temporaryPath)) == file.sha256 {
                do {
                    try AtomicFile.write(Array("\(file.sha256 ?? "")  \(file.name)\n".utf8), to: file.path + ".sha256")
                    try AtomicFile.place(file.temporaryPath, at: file.path, replacing: overwrite)
                } catch {
                    unlink(file.temporaryPath)
                    try ledger.abandonExportFile(id: file.id)
                    logger.warning("export could not be put into place; its orders will be written again", metadata: ["file.name": "\(file.name)", "error": "\(error)"])
                    continue
                }
            } else if !inPlace {
                unlink(file.temporaryPath)
                try ledger.abandonExportFile(id: file.id)
                continue
            } else {
                unlink(file.temporaryPath)
                if !FileManager.default.fileExists(atPath: file.path + ".sha256") {
                    try AtomicFile.write(Array("\(file.sha256 ?? "")  \(file.name)\n".utf8), to: file.path + ".sha256")
                }
            }
            try ledger.completeExportFile(id: file.id)
            logger.notice("export finished after an interruption", metadata: ["flow": "\(file.flow)", "file.name": "\(file.name)"])
        }
    }

    static func sha256(ofFile path: String) throws -> String {
        let input = try FileInput(path: path)
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try input.read(into: $0) }
            if count <= 0 { break }
            hasher.update(data: buffer[..<count])
        }
        return hasher.finalize().hex
    }

    /// Marks written files the ERP acknowledged (an ack file by the flow's pattern) or took
    /// away; answers the ones still waiting past the flow's `overdue` time.
    @discardableResult
    public func checkAcknowledgements() throws -> [ExportFile] {
        var overdue: [ExportFile] = []
        let now = Date()
        for file in try ledger.exportFiles(state: .written) {
            guard let flow = config.export(named: file.flow) else { continue }
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

extension Gateway {
    /// The SHA-256 of a file as lower-case hex (what sidecars and receipts say).
    public static func checksum(ofFile path: String) throws -> String {
        try sha256(ofFile: path)
    }
}
