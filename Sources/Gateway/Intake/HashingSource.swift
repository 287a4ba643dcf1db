import Transport
import Crypto
import Formats
import Foundation

/// Passes bytes through from a file while computing their SHA-256, so checksum and parse
/// share one read of the file. Without `hashing` it only counts (the checksum is known: a file
/// fetched from a partner was hashed as it arrived).
final class HashingSource: ByteSource {
    private let input: FileInput
    private var hasher = SHA256()
    private let hashing: Bool
    private(set) var byteCount: Int64 = 0

    init(_ input: FileInput, hashing: Bool = true) {
        self.input = input
        self.hashing = hashing
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try input.read(into: buffer)
        if n > 0 {
            if hashing { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n])) }
            byteCount += Int64(n)
        }
        return n
    }

    /// Reads whatever the parser left unread (it may stop early on a fatal error), so the
    /// checksum always covers the whole file.
    func drain() throws {
        var scratch = [UInt8](repeating: 0, count: 256 * 1024)
        while try scratch.withUnsafeMutableBytes({ try read(into: $0) }) > 0 {}
    }

    /// Lower-case hex digest.
    func hexDigest() -> String {
        hasher.finalize().hex
    }
}
