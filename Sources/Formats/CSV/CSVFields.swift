/// The fields of one record, borrowed for the duration of `CSVRecord.withFields`: UTF-8 bytes
/// without copies. Valid only inside that call.
public struct CSVFields {
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline let ends: UnsafeBufferPointer<Int>

    @inlinable
    init(bytes: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>) {
        self.bytes = bytes
        self.ends = ends
    }

    @inlinable
    public var count: Int { ends.count }

    /// The bytes of the field at a 0-based index.
    @inlinable
    public subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? 0 : ends[index - 1]
        return UnsafeBufferPointer(rebasing: bytes[start..<ends[index]])
    }
}
