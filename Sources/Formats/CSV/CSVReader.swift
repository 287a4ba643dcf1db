/// A streaming reader of delimited text (RFC 4180 and the dialects ERPs really write).
///
/// Bytes are pulled from the source in chunks, decoded to UTF-8, and split into records; memory
/// holds one chunk and one record, however large the file. Quoted fields may hold delimiters,
/// quotes (doubled or escaped) and line breaks; CRLF, LF and lone CR all end a record. Blank
/// lines are skipped; spaces between a closing quote and the delimiter are dropped. Problems that make the rest unreadable (bad bytes, a quote never closed,
/// an over-long record) are thrown as `CSVReadError` with their position; a NUL byte only marks
/// its record (`CSVRecord.nulField`).
public final class CSVReader {
    public private(set) var dialect: CSVDialect
    /// Called once per chunk, so the existential costs nothing per byte; the reader itself stays
    /// non-generic and fully specialised wherever it is used.
    @exclusivity(unchecked) private var source: any ByteSource
    @exclusivity(unchecked) private var transcoder: UTF8Transcoder
    private let chunkSize: Int

    // The state below is private, touched only by this reader's own non-reentrant methods, and the
    // reader is not Sendable: no overlapping access can happen, so the per-access runtime check is off.
    @exclusivity(unchecked) private var raw: [UInt8]
    @exclusivity(unchecked) private var decoded: [UInt8] = []
    @exclusivity(unchecked) private var position = 0
    @exclusivity(unchecked) private var sourceDone = false
    @exclusivity(unchecked) private var pendingError: InvalidBytes?
    @exclusivity(unchecked) private var finished = false

    @exclusivity(unchecked) private var recordBytes = RecordBuffer(capacity: 4096)
    @exclusivity(unchecked) private var ends: [Int] = []
    @exclusivity(unchecked) private var line = 1
    @exclusivity(unchecked) private var lastWasCR = false
    @exclusivity(unchecked) private var recordNumber = 0
    @exclusivity(unchecked) private var nulField: Int?

    /// Whether the last record read ended with a line break (false: the input ended inside it,
    /// as in a file without a final line break, or one cut off mid-row).
    @exclusivity(unchecked) public private(set) var lastRecordEndedWithLineBreak = true

    /// The encoding actually read (a byte-order mark may have changed it).
    public var encoding: TextEncoding { transcoder.encoding }

    /// For a single-byte encoding: whether the bytes read so far look like UTF-8 instead.
    public var utf8Evidence: UTF8Evidence { transcoder.evidence }

    public init(source: some ByteSource, dialect: CSVDialect = CSVDialect(), chunkSize: Int = 256 * 1024) {
        self.source = source
        self.dialect = dialect
        self.transcoder = UTF8Transcoder(encoding: dialect.encoding)
        self.chunkSize = chunkSize
        self.raw = [UInt8](repeating: 0, count: chunkSize)
        decoded.reserveCapacity(chunkSize + chunkSize / 2)
        ends.reserveCapacity(64)
    }

    /// Reads every remaining record (tests and small files).
    public func readAll() throws(CSVReadError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        while let record = try next() { records.append(record) }
        return records
    }

    /// The next record, or nil at the end of the input.
    public func next() throws(CSVReadError) -> CSVRecord? {
        guard !finished else { return nil }
        if dialect.delimiter == nil { try sniffDelimiter() }
        let delimiter = dialect.delimiter ?? UInt8(ascii: ",")
        while true {
            let startLine = line
            recordBytes.removeAll()
            ends.removeAll(keepingCapacity: true)
            nulField = nil
            let complete = try scanRecord(delimiter: delimiter)
            if !complete {
                finished = true
                return nil
            }
            if ends.isEmpty { continue }  // a blank line
            recordNumber += 1
            let record = CSVRecord(number: recordNumber, line: startLine, bytes: recordBytes.storage, ends: ends, nulField: nulField)
            return record
        }
    }

    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted, escaped
    }

    /// Scans one record into `recordBytes`/`ends`. Returns false when the input ended before any
    /// byte of a new record. A record with no fields (`ends` empty) is a blank line.
    private func scanRecord(delimiter: UInt8) throws(CSVReadError) -> Bool {
        // The scan works on local copies (moved, not copied, out of the object) and writes them
        // back once: class properties touched per byte would cost a dynamic exclusivity check each.
        var recordBytes = self.recordBytes
        var ends = self.ends
        self.recordBytes = RecordBuffer(capacity: 0)
        self.ends = []
        var line = self.line
        var lastWasCR = self.lastWasCR
        var nulField = self.nulField
        var position = self.position
        defer {
            self.recordBytes = recordBytes
            self.ends = ends
            self.line = line
            self.lastWasCR = lastWasCR
            self.nulField = nulField
            self.position = position
        }
        var state = State.fieldStart
        var sawAnything = false
        var quoteLine = line
        var quoteField = 1
        let quote = dialect.quote ?? 0
        let quoting = dialect.quote != nil
        let escape = dialect.escape
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        let limit = dialect.maxRecordBytes

        while true {
            if position >= decoded.count {
                let more = try refill(line: line, column: ends.count + 1)
                position = 0
                guard more else {
                    // End of input.
                    switch state {
                    case .quoted, .escaped:
                        throw CSVReadError(
                            code: .unbalancedQuote, line: quoteLine, column: quoteField, row: recordNumber + 1,
                            message: "the quote opened in line \(quoteLine), field \(quoteField) is never closed")
                    case .fieldStart:
                        if sawAnything { ends.append(recordBytes.count) }
                    case .unquoted, .quoteInQuoted:
                        ends.append(recordBytes.count)
                    }
                    if sawAnything { lastRecordEndedWithLineBreak = false }
                    return sawAnything
                }
            }
            let outcome: ScanOutcome = decoded.withUnsafeBufferPointer { buf in
                var i = position
                let n = buf.count
                defer { position = i }
                while i < n {
                    let b = buf[i]
                    switch state {
                    case .fieldStart:
                        if lastWasCR && b == lf {
                            lastWasCR = false
                            i += 1
                            continue
                        }
                        lastWasCR = false
                        if quoting && b == quote {
                            state = .quoted
                            quoteLine = line
                            quoteField = ends.count + 1
                            sawAnything = true
                            i += 1
                        } else if b == delimiter {
                            ends.append(recordBytes.count)
                            sawAnything = true
                            i += 1
                        } else if b == cr || b == lf {
                            line += 1
                            lastWasCR = b == cr
                            i += 1
                            if sawAnything { ends.append(recordBytes.count) }
                            return .recordEnd
                        } else {
                            state = .unquoted
                            sawAnything = true
                        }
                    case .unquoted:
                        let runStart = i
                        while i < n {
                            let c = buf[i]
                            if c == delimiter || c == cr || c == lf || c == 0 { break }
                            i += 1
                        }
                        if runStart < i { recordBytes.append(UnsafeBufferPointer(rebasing: buf[runStart..<i])) }
                        if recordBytes.count > limit { return .tooLong }
                        guard i < n else { return .needMore }
                        let c = buf[i]
                        if c == 0 {
                            if nulField == nil { nulField = ends.count + 1 }
                            i += 1
                        } else if c == delimiter {
                            ends.append(recordBytes.count)
                            state = .fieldStart
                            i += 1
                        } else {
                            ends.append(recordBytes.count)
                            line += 1
                            lastWasCR = c == cr
                            i += 1
                            return .recordEnd
                        }
                    case .quoted:
                        let runStart = i
                        while i < n {
                            let c = buf[i]
                            if c == quote || c == cr || c == lf || c == 0 || c == escape { break }
                            i += 1
                        }
                        if runStart < i {
                            recordBytes.append(UnsafeBufferPointer(rebasing: buf[runStart..<i]))
                            lastWasCR = false
                        }
                        if recordBytes.count > limit { return .tooLong }
                        guard i < n else { return .needMore }
                        let c = buf[i]
                        i += 1
                        if c == 0 {
                            if nulField == nil { nulField = ends.count + 1 }
                        } else if c == cr || c == lf {
                            if !(c == lf && lastWasCR) { line += 1 }
                            lastWasCR = c == cr
                            recordBytes.append(c)
                        } else if let escape, c == escape, escape != quote {
                            state = .escaped
                        } else {
                            lastWasCR = false
                            state = .quoteInQuoted
                        }
                    case .escaped:
                        recordBytes.append(b)
                        if b == cr || b == lf { line += 1 }
                        state = .quoted
                        i += 1
                    case .quoteInQuoted:
                        if b == quote && escape == nil {
                            recordBytes.append(quote)
                            state = .quoted
                            i += 1
                        } else if b == delimiter {
                            ends.append(recordBytes.count)
                            state = .fieldStart
                            i += 1
                        } else if b == cr || b == lf {
                            ends.append(recordBytes.count)
                            line += 1
                            lastWasCR = b == cr
                            i += 1
                            return .recordEnd
                        } else if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") {
                            // Padding between a closing quote and the delimiter is dropped (as Commons CSV does).
                            i += 1
                        } else {
                            // Other text after a closing quote is kept, as Python's csv module does.
                            state = .unquoted
                        }
                    }
                }
                return .needMore
            }
            switch outcome {
            case .needMore: continue
            case .recordEnd:
                lastRecordEndedWithLineBreak = true
                return true
            case .tooLong:
                let inQuote = state == .quoted || state == .escaped
                throw CSVReadError(
                    code: .recordTooLong, line: inQuote ? quoteLine : line, column: inQuote ? quoteField : ends.count + 1,
                    row: recordNumber + 1,
                    message: inQuote
                        ? "the quoted field opened in line \(quoteLine) runs past \(limit) bytes; its closing quote is probably missing"
                        : "the record is longer than \(limit) bytes")
            }
        }
    }

    private enum ScanOutcome {
        case needMore, recordEnd, tooLong
    }

    /// Decodes the next chunk into `decoded`. Returns false at the end of input.
    private func refill(line: Int, column: Int) throws(CSVReadError) -> Bool {
        decoded.removeAll(keepingCapacity: true)
        position = 0
        while decoded.isEmpty {
            if let error = pendingError {
                throw CSVReadError(
                    code: .invalidEncoding, line: line, column: column, row: recordNumber + 1,
                    byteOffset: error.byteOffset, message: Self.describe(error))
            }
            if sourceDone { return false }
            let count: Int
            do {
                count = try raw.withUnsafeMutableBytes { try source.read(into: $0) }
            } catch {
                throw CSVReadError(code: .unreadable, line: line, message: "reading failed: \(error)")
            }
            if count == 0 { sourceDone = true }
            pendingError = raw.withUnsafeBufferPointer { buffer in
                transcoder.decode(UnsafeBufferPointer(rebasing: buffer[0..<count]), into: &decoded, isLast: count == 0)
            }
        }
        return true
    }

    /// Chooses the delimiter from the first line: the candidate seen most often outside quotes.
    private func sniffDelimiter() throws(CSVReadError) {
        if decoded.isEmpty && !sourceDone { _ = try refill(line: line, column: 1) }
        var counts = [Int](repeating: 0, count: 256)
        var inQuote = false
        let quote = dialect.quote
        for byte in decoded[position...] {
            if byte == quote { inQuote.toggle() }
            if !inQuote && (byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")) { break }
            if !inQuote { counts[Int(byte)] += 1 }
        }
        let best = CSVDialect.sniffable.max { counts[Int($0)] < counts[Int($1)] }!
        dialect.delimiter = counts[Int(best)] > 0 ? best : UInt8(ascii: ",")
    }

    static func describe(_ error: InvalidBytes) -> String {
        var text = "byte \(error.hex) at offset \(error.byteOffset) is not valid \(error.encoding.rawValue)"
        if error.encoding == .utf8, let first = error.bytes.first, first >= 0x80 {
            text += "; the file looks like windows-1252 or iso-8859-15 (set the flow's encoding)"
        } else if error.encoding.isSingleByte {
            text += "; the file may be utf-8 or another code page (set the flow's encoding)"
        }
        return text
    }
}
