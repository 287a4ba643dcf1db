#if canImport(Glibc)
import Glibc
#endif

/// A few short byte strings (enum values, missing-value markers, boolean words) kept back to back
/// in one array, so asking whether a cell is one of them costs a length check and a `memcmp`.
struct ByteStrings: Sendable {
    private let storage: [UInt8]
    private let ranges: [Range<Int>]

    init(_ values: [String]) {
        var storage: [UInt8] = []
        var ranges: [Range<Int>] = []
        for value in values {
            let start = storage.count
            storage.append(contentsOf: value.utf8)
            ranges.append(start..<storage.count)
        }
        self.storage = storage
        self.ranges = ranges
    }

    var isEmpty: Bool { ranges.isEmpty }

    /// The position of `bytes` among the strings, or nil.
    @inline(__always)
    func firstIndex(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        storage.withUnsafeBufferPointer { stored in
            for (index, range) in ranges.enumerated() where range.count == bytes.count {
                if range.isEmpty || memcmp(stored.baseAddress! + range.lowerBound, bytes.baseAddress!, range.count) == 0 {
                    return index
                }
            }
            return nil
        }
    }

    @inline(__always)
    func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        firstIndex(of: bytes) != nil
    }
}
