/// The bytes of the record being scanned: an array used as a growable buffer with its own
/// length, so appending a run of bytes is one `memcpy` instead of the generic collection path.
/// Bytes past `count` are left over from earlier records and never read (fields are located by
/// their end offsets).
struct RecordBuffer {
    private(set) var storage: [UInt8]
    private(set) var count = 0

    init(capacity: Int) {
        storage = [UInt8](repeating: 0, count: capacity)
    }

    @inline(__always)
    mutating func removeAll() {
        count = 0
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        guard n > 0 else { return }
        if count + n > storage.count { grow(to: count + n) }
        let start = count
        storage.withUnsafeMutableBufferPointer { destination in
            UnsafeMutableRawPointer(destination.baseAddress! + start).copyMemory(from: bytes.baseAddress!, byteCount: n)
        }
        count += n
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == storage.count { grow(to: count + 1) }
        storage[count] = byte
        count += 1
    }

    private mutating func grow(to needed: Int) {
        storage.append(contentsOf: repeatElement(0, count: max(needed, storage.count * 2) - storage.count))
    }
}
