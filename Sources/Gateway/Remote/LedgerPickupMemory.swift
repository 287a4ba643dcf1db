import Ledger
import Transport

/// A partner folder's memory of what it fetched for one flow: the ledger's inbound transfer rows.
final class LedgerPickupMemory: PickupMemory {
    private let ledger: Ledger
    private let flow: String

    init(ledger: Ledger, flow: String) {
        self.ledger = ledger
        self.flow = flow
    }

    func recall(_ origin: RemoteOrigin) throws -> RecalledPickup? {
        try ledger.inboundTransfer(flow: flow, remotePath: origin.path, size: origin.size, modified: origin.modified).map {
            RecalledPickup(
                transferID: $0.id, fileID: $0.fileID, origin: origin, awaitsRelease: $0.state == .fetched, isFinished: $0.state == .done,
                disposition: $0.disposition)
        }
    }

    func released(_ transferID: Int64, disposition: String) throws {
        try ledger.finishTransfer(transferID, disposition: disposition)
    }
}
