public import Crypto

extension SHA256Digest {
    /// Lower-case hex, as the ledger and receipts write checksums. (Built from a table: the
    /// planner hashes every object of a file, and `String(format:)` per byte cost seconds.)
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
