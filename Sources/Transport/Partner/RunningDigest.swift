import Crypto
import Synchronization

/// A SHA-256 fed from the SFTP client's thread while a download runs and read afterwards.
final class RunningDigest: Sendable {
    private let state = Mutex((hasher: SHA256(), count: Int64(0)))

    func update(_ bytes: UnsafeRawBufferPointer) {
        state.withLock {
            $0.hasher.update(bufferPointer: bytes)
            $0.count += Int64(bytes.count)
        }
    }

    var byteCount: Int64 { state.withLock { $0.count } }

    /// Lower-case hex of everything fed so far.
    func hexDigest() -> String {
        state.withLock { $0.hasher.finalize().hex }
    }
}
