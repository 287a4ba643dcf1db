import Foundation
import Glibc

/// Bytes of a file range one at a time, through a 64 KB buffer, knowing the offset and line of
/// the next byte. For the scans that find documents in a file before libxml2 reads them.
struct ByteStream {
    private let descriptor: Int32
    private var buffer = [UInt8](repeating: 0, count: 65_536)
    private var filled = 0
    private var position = 0
    private var bufferStart: Int64
    private let end: Int64
    /// The 1-based line of the next byte.
    private(set) var line: Int

    /// Opens `path` at `range.lowerBound`, which is on line `firstLine`.
    init(path: String, range: Range<Int64>? = nil, firstLine: Int = 1) throws(XMLError) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw XMLError("cannot open \(path) for reading: \(String(cString: strerror(errno)))") }
        var info = stat()
        fstat(descriptor, &info)
        bufferStart = range?.lowerBound ?? 0
        end = range?.upperBound ?? Int64(info.st_size)
        line = firstLine
    }

    /// Closes the file; call once, when done.
    func close() {
        Glibc.close(descriptor)
    }

    /// The offset of the next byte.
    var offset: Int64 { bufferStart + Int64(position) }

    /// The next byte, or nil at the end.
    mutating func next() throws(XMLError) -> UInt8? {
        if position == filled {
            bufferStart += Int64(filled)
            position = 0
            filled = 0
            let wanted = Int(min(Int64(buffer.count), end - bufferStart))
            guard wanted > 0 else { return nil }
            let descriptor = descriptor
            let start = bufferStart
            var count: Int
            repeat {
                count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(start)) }
            } while count < 0 && errno == EINTR
            guard count > 0 else {
                if count < 0 { throw XMLError("cannot read the file: \(String(cString: strerror(errno)))") }
                return nil
            }
            filled = count
        }
        let byte = buffer[position]
        position += 1
        if byte == 0x0A { line += 1 }
        return byte
    }
}
