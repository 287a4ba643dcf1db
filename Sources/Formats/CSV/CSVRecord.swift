/// One record of a delimited file: its fields as UTF-8 and where it stands in the file.
public struct CSVRecord: Sendable {
    /// 1-based record number; the header, if any, is record 1 (Frictionless' row number).
    public let number: Int
    /// Physical line on which the record starts.
    public let line: Int
    /// 1-based number of the first field that contained a NUL byte, if any.
    public let nulField: Int?
    @usableFromInline let bytes: [UInt8]
    @usableFromInline let ends: [Int]

    init(number: Int, line: Int, bytes: [UInt8], ends: [Int], nulField: Int?) {
        self.number = number
        self.line = line
        self.bytes = bytes
        self.ends = ends
        self.nulField = nulField
    }

    /// Builds a record from strings (tests, writers).
    public init(_ fields: [String], number: Int = 0, line: Int = 0) {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for field in fields {
            bytes.append(contentsOf: field.utf8)
            ends.append(bytes.count)
        }
        self.init(number: number, line: line, bytes: bytes, ends: ends, nulField: nil)
    }

    public var count: Int { ends.count }

    /// The field at a 0-based index.
    public subscript(index: Int) -> String {
        withField(index) { String(decoding: $0, as: UTF8.self) }
    }

    public var fields: [String] { (0..<count).map { self[$0] } }

    /// Lends the UTF-8 bytes of a field without copying.
    @inline(__always)
    public func withField<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = index == 0 ? 0 : ends[index - 1]
        let end = ends[index]
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// Lends every field at once, for loops over all cells without a call per field.
    @inlinable
    public func withFields<R, E: Error>(_ body: (CSVFields) throws(E) -> R) throws(E) -> R {
        try bytes.withUnsafeBufferPointer { (bytes) throws(E) -> R in
            try ends.withUnsafeBufferPointer { (ends) throws(E) -> R in try body(CSVFields(bytes: bytes, ends: ends)) }
        }
    }

    /// Byte length of a field.
    public func fieldLength(_ index: Int) -> Int {
        ends[index] - (index == 0 ? 0 : ends[index - 1])
    }
}
