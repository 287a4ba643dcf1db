/// Bytes that are not valid in the encoding being read, with the offset of the first bad byte.
public struct InvalidBytes: Error, Sendable, Equatable {
    public var encoding: TextEncoding
    /// Offset of the first offending byte from the start of the file.
    public var byteOffset: Int
    /// Up to four bytes from that offset.
    public var bytes: [UInt8]

    public var hex: String {
        bytes.map { "0x" + String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined(separator: " ")
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
