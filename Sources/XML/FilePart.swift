import CLibXML2
import Foundation
import Glibc

/// A byte range of a file, handed to libxml2 as an input through two C callbacks, so that one
/// document inside a larger file is read in place, in flat memory.
final class FilePart {
    private let descriptor: Int32
    private var offset: Int64
    private let end: Int64

    init(path: String, range: Range<Int64>) throws(XMLError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw XMLError("cannot open \(path) for reading: \(String(cString: strerror(errno)))") }
        self.descriptor = descriptor
        offset = range.lowerBound
        end = range.upperBound
    }

    deinit {
        Glibc.close(descriptor)
    }

    /// libxml2's read callback: fills at most `length` bytes; 0 at the range's end, -1 on error.
    static let read: xmlInputReadCallback = { context, buffer, length in
        guard let context, let buffer, length > 0 else { return -1 }
        let part = Unmanaged<FilePart>.fromOpaque(context).takeUnretainedValue()
        let wanted = Int(min(Int64(length), part.end - part.offset))
        guard wanted > 0 else { return 0 }
        var count: Int
        repeat { count = pread(part.descriptor, buffer, wanted, off_t(part.offset)) } while count < 0 && errno == EINTR
        guard count >= 0 else { return -1 }
        part.offset += Int64(count)
        return Int32(count)
    }

    /// libxml2's close callback: releases the part it was given retained.
    static let release: xmlInputCloseCallback = { context in
        if let context { Unmanaged<FilePart>.fromOpaque(context).release() }
        return 0
    }
}
