/// Something bytes can be pulled from: a file, a hashing wrapper around a file, bytes in memory.
public protocol ByteSource {
    /// Fills the start of `buffer` and returns how many bytes were read; 0 means the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Bytes held in memory, handed out in chunks; for tests and small inputs.
public struct MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    /// At most this many bytes per read, to exercise chunk boundaries.
    private let chunkLimit: Int

    public init(_ bytes: [UInt8], chunkLimit: Int = .max) {
        self.bytes = bytes
        self.chunkLimit = max(1, chunkLimit)
    }

    public init(_ text: String, chunkLimit: Int = .max) {
        self.init(Array(text.utf8), chunkLimit: chunkLimit)
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - offset, chunkLimit)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + n]))
        }
        offset += n
        return n
    }
}
