import Crypto
import Foundation

extension SHA256Digest {
    /// Lower-case hex, as the ledger and receipts write checksums.
    var hex: String {
        map { String(format: "%02x", $0) }.joined()
    }
}
