import Crypto
import Formats

/// The SHA-256 of a file on disk, as lower-case hex (what sidecars, receipts and the ledger say).
public enum FileDigest {
    public static func sha256(ofFile path: String) throws -> String {
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
}
