/// Turns the bytes of a file, chunk by chunk, into validated UTF-8.
///
/// Multi-byte sequences may straddle chunk boundaries; the transcoder carries the incomplete tail
/// over to the next chunk. Output is appended to a caller-owned buffer so no chunk allocates.
struct UTF8Transcoder {
    private(set) var encoding: TextEncoding
    private let table: [UInt32?]
    private var carry: [UInt8] = []
    /// Bytes consumed so far, including a dropped BOM: the file offset of the next input byte.
    private(set) var consumed = 0
    private var sawStart = false
    /// For single-byte encodings: whether the file read so far looks like UTF-8 instead.
    private(set) var evidence = UTF8Evidence()

    init(encoding: TextEncoding) {
        self.encoding = encoding
        table = SingleByteTable.forEncoding(encoding)?.scalars ?? []
    }

    /// Decodes `input` and appends UTF-8 to `output`. On invalid bytes, appends everything valid
    /// before them and returns the error (decoding cannot continue after it).
    mutating func decode(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8], isLast: Bool) -> InvalidBytes? {
        if carry.isEmpty {
            return decodeWorking(input, into: &output, isLast: isLast)
        }
        let joined = carry + Array(input)
        carry.removeAll()
        return joined.withUnsafeBufferPointer { decodeWorking($0, into: &output, isLast: isLast) }
    }

    /// `input` starts at file offset `consumed`; whatever is left undecoded becomes the carry.
    private mutating func decodeWorking(
        _ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8], isLast: Bool
    ) -> InvalidBytes? {
        var start = 0
        if !sawStart {
            if input.count < 3 && !isLast {
                carry = Array(input)
                return nil
            }
            sawStart = true
            start = skipByteOrderMark(input)
        }
        let result: (used: Int, error: InvalidBytes?)
        switch encoding {
        case .utf8:
            result = decodeUTF8(input, from: start, into: &output, isLast: isLast, base: consumed)
        case .utf16LE, .utf16BE:
            result = decodeUTF16(input, from: start, into: &output, isLast: isLast, base: consumed)
        default:
            result = decodeSingleByte(input, from: start, into: &output, base: consumed)
        }
        consumed += result.used
        if result.error == nil && result.used < input.count {
            carry = Array(input[result.used...])
        }
        return result.error
    }

    /// Drops a BOM and lets a UTF-16 BOM choose the byte order. Returns the bytes skipped.
    private mutating func skipByteOrderMark(_ input: UnsafeBufferPointer<UInt8>) -> Int {
        if input.count >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF {
            encoding = .utf8
            return 3
        }
        if input.count >= 2, input[0] == 0xFF, input[1] == 0xFE {
            encoding = .utf16LE
            return 2
        }
        if input.count >= 2, input[0] == 0xFE, input[1] == 0xFF {
            encoding = .utf16BE
            return 2
        }
        return 0
    }

    private func invalid(_ input: UnsafeBufferPointer<UInt8>, at index: Int, base: Int) -> InvalidBytes {
        InvalidBytes(encoding: encoding, byteOffset: base + index, bytes: Array(input[index..<min(index + 4, input.count)]))
    }

    private mutating func decodeSingleByte(
        _ input: UnsafeBufferPointer<UInt8>, from start: Int, into output: inout [UInt8], base: Int
    ) -> (used: Int, error: InvalidBytes?) {
        output.reserveCapacity(output.count + input.count - start)
        var i = start
        var runStart = start
        while i < input.count {
            let byte = input[i]
            if byte < 0x80 {
                i += 1
                continue
            }
            if runStart < i { output.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<i])) }
            evidence.feed(byte, at: base + i)
            guard let scalar = table[Int(byte)] else {
                return (i, invalid(input, at: i, base: base))
            }
            appendUTF8(scalar, to: &output)
            i += 1
            runStart = i
        }
        if runStart < i { output.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<i])) }
        return (i, nil)
    }

    private func decodeUTF8(
        _ input: UnsafeBufferPointer<UInt8>, from start: Int, into output: inout [UInt8], isLast: Bool, base: Int
    ) -> (used: Int, error: InvalidBytes?) {
        var i = start
        let n = input.count
        while i < n {
            let lead = input[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default:
                appendValid(input, start, i, to: &output)
                return (i, invalid(input, at: i, base: base))
            }
            if i + length > n {
                // Possibly complete in the next chunk: check what is there, carry the rest.
                if !isLast && prefixIsPlausible(input, at: i, lower: lower, upper: upper) {
                    appendValid(input, start, i, to: &output)
                    return (i, nil)
                }
                appendValid(input, start, i, to: &output)
                return (i, invalid(input, at: i, base: base))
            }
            let second = input[i + 1]
            var ok = second >= lower && second <= upper
            if ok && length > 2 { ok = input[i + 2] & 0xC0 == 0x80 }
            if ok && length > 3 { ok = input[i + 3] & 0xC0 == 0x80 }
            if !ok {
                appendValid(input, start, i, to: &output)
                return (i, invalid(input, at: i, base: base))
            }
            i += length
        }
        appendValid(input, start, i, to: &output)
        return (i, nil)
    }

    private func prefixIsPlausible(_ input: UnsafeBufferPointer<UInt8>, at i: Int, lower: UInt8, upper: UInt8) -> Bool {
        var j = i + 1
        while j < input.count {
            if j == i + 1 {
                if input[j] < lower || input[j] > upper { return false }
            } else if input[j] & 0xC0 != 0x80 {
                return false
            }
            j += 1
        }
        return true
    }

    private func appendValid(_ input: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, to output: inout [UInt8]) {
        if from < to { output.append(contentsOf: UnsafeBufferPointer(rebasing: input[from..<to])) }
    }

    private func decodeUTF16(
        _ input: UnsafeBufferPointer<UInt8>, from start: Int, into output: inout [UInt8], isLast: Bool, base: Int
    ) -> (used: Int, error: InvalidBytes?) {
        let little = encoding == .utf16LE
        var i = start
        let n = input.count
        func unit(_ at: Int) -> UInt32 {
            little ? UInt32(input[at]) | UInt32(input[at + 1]) << 8 : UInt32(input[at]) << 8 | UInt32(input[at + 1])
        }
        while i + 1 < n {
            let u = unit(i)
            if u < 0xD800 || u > 0xDFFF {
                appendUTF8(u, to: &output)
                i += 2
                continue
            }
            guard u < 0xDC00 else { return (i, invalid(input, at: i, base: base)) }
            guard i + 3 < n else { break }
            let low = unit(i + 2)
            guard (0xDC00...0xDFFF).contains(low) else { return (i, invalid(input, at: i, base: base)) }
            appendUTF8(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00), to: &output)
            i += 4
        }
        if isLast && i < n { return (i, invalid(input, at: i, base: base)) }
        return (i, nil)
    }
}

extension TextEncoding {
    var isUTF16: Bool { self == .utf16LE || self == .utf16BE }
}

/// Appends the UTF-8 form of a scalar.
func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
    switch scalar {
    case 0..<0x80:
        output.append(UInt8(scalar))
    case 0x80..<0x800:
        output.append(UInt8(0xC0 | scalar >> 6))
        output.append(UInt8(0x80 | scalar & 0x3F))
    case 0x800..<0x10000:
        output.append(UInt8(0xE0 | scalar >> 12))
        output.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
        output.append(UInt8(0x80 | scalar & 0x3F))
    default:
        output.append(UInt8(0xF0 | scalar >> 18))
        output.append(UInt8(0x80 | (scalar >> 12) & 0x3F))
        output.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
        output.append(UInt8(0x80 | scalar & 0x3F))
    }
}
