import Foundation
import Ledger
import Logging
import Transport

/// Delivering files to SFTP partners: export files and receipts are queued in the ledger, then
/// each is put on the partner's server by its `PartnerDestination` (temporary name, flush, size
/// check, rename; a name already taken is never overwritten). A delivery that fails waits in
/// the ledger for the next pass.
final class Deliveries {
    let config: GatewayConfig
    let ledger: Ledger
    /// Each SFTP partner's server, by partner name.
    let destinations: [String: PartnerDestination]
    let logger: Logger
    let events: GatewayEvents

    init(config: GatewayConfig, ledger: Ledger, destinations: [String: PartnerDestination], logger: Logger, events: GatewayEvents) {
        self.config = config
        self.ledger = ledger
        self.destinations = destinations
        self.logger = logger
        self.events = events
    }

    /// Queues a written export file for its partner (the export's `sftp://` target); nothing
    /// for an export that only writes to its local outbox.
    func queueDelivery(of file: ExportFile, flow: ExportConfig) throws {
        guard let remote = flow.remote, let partner = config.partner(named: remote.partner) else { return }
        try ledger.queueTransfer(Transfer(
            direction: .outbound, partner: partner.name, flow: flow.name, kind: "file", remotePath: RemotePath.join(partner.directory, remote.directory) + "/" + file.name,
            localPath: file.path, size: file.size, sha256: file.sha256, exportFileID: file.id, state: .pending))
    }

    /// Queues the export files written for a partner whose delivery was never queued (a crash
    /// came between writing and queueing).
    func queueUnqueued() throws {
        for file in try ledger.exportFiles(state: .written) {
            guard let flow = config.export(named: file.flow), flow.deliversToPartner, try ledger.transfers(exportFileID: file.id).isEmpty else { continue }
            try queueDelivery(of: file, flow: flow)
        }
    }

    /// Queues a processed file's receipt (and its error report, if it has one) for the flow's
    /// `receipts_to` folder.
    func queueReceipt(for entry: FileEntry, to location: RemoteLocation) throws {
        guard let partner = config.partner(named: location.partner), let stored = try ledger.receipt(for: entry.id) else { return }
        let folder = RemotePath.join(partner.directory, location.directory)
        var items = [("receipt", stored.path, (stored.path as NSString).lastPathComponent)]
        if entry.state == .failed || entry.state == .held, let finalPath = entry.finalPath {
            items.append(("report", FileNames.errorReport(beside: finalPath), FileNames.safe(entry.name) + ".\(entry.id)" + FileNames.errorReportSuffix))
        }
        for (kind, local, name) in items where FileManager.default.fileExists(atPath: local) {
            try ledger.queueTransfer(Transfer(
                direction: .outbound, partner: partner.name, flow: entry.flow, kind: kind, remotePath: folder + "/" + name, localPath: local,
                size: nil, sha256: nil, fileID: entry.id, state: .pending))
        }
    }

    /// Delivers every queued transfer whose partner is reachable, oldest first. A partner that
    /// fails rests and keeps its queue; the others go on.
    @discardableResult
    func deliverPending() async -> Int {
        guard let pending = try? ledger.transfers(state: .pending, direction: .outbound), !pending.isEmpty else { return 0 }
        var resting: Set<String> = []
        var delivered = 0
        for transfer in pending where !resting.contains(transfer.partner) {
            guard let destination = destinations[transfer.partner], !destination.isResting else {
                resting.insert(transfer.partner)
                continue
            }
            do {
                try await deliver(transfer, to: destination)
                delivered += 1
            } catch let error as DeliveryConflict {
                try? ledger.transferAttemptFailed(transfer.id, error: error.description, final: true)
                logger.error("not delivered: \(error.description)", metadata: ["partner": "\(transfer.partner)", "flow": "\(transfer.flow)"])
            } catch {
                try? ledger.transferAttemptFailed(transfer.id, error: "\(error)")
                if destination.assess(error, doing: "delivering \(transfer.remotePath)") == .source { resting.insert(transfer.partner) }
            }
        }
        return delivered
    }

    /// One transfer: the file, then for exports its `.sha256` sidecar and done-marker.
    private func deliver(_ transfer: Transfer, to destination: PartnerDestination) async throws {
        guard let local = transfer.localPath else { throw DeliveryConflict(description: "transfer #\(transfer.id) has no local file") }
        var outcomes = [try await destination.put(local, at: transfer.remotePath)]
        if transfer.kind == "file", let exportID = transfer.exportFileID, let flow = config.export(named: transfer.flow) {
            if flow.remoteSidecar, FileManager.default.fileExists(atPath: local + ".sha256") {
                outcomes.append(try await destination.put(local + ".sha256", at: transfer.remotePath + ".sha256"))
            }
            if let marker = flow.remoteDoneMarker {
                outcomes.append(try await destination.put(try emptyFile(), at: transfer.remotePath + marker))
            }
            CrashPoint.delivered.reach()
            try ledger.finishTransfer(transfer.id, disposition: outcomes.contains(.alreadyThere) ? "was already there" : nil)
            try ledger.markDelivered(id: exportID, by: "sftp")
        } else {
            CrashPoint.delivered.reach()
            try ledger.finishTransfer(transfer.id, disposition: outcomes.contains(.alreadyThere) ? "was already there" : nil)
        }
        logger.info("delivered", metadata: ["partner": "\(transfer.partner)", "flow": "\(transfer.flow)", "remote.path": "\(transfer.remotePath)"])
        events.publish(.delivered(partner: transfer.partner, remotePath: transfer.remotePath))
    }

    /// An empty local file, uploaded as a done-marker.
    private func emptyFile() throws -> String {
        let path = config.processingDirectory + "/.empty"
        if !FileManager.default.fileExists(atPath: path) { try AtomicFile.write([], to: path) }
        return path
    }
}
