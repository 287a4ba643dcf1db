import Foundation

/// The XML parts of a MIME multipart message saved to a file (SOAP with attachments, MTOM/XOP:
/// the first line is the boundary, each part has its headers, a blank line and its body). Parts
/// whose `Content-Type` is XML (`text/xml`, `application/soap+xml`, `application/xop+xml`) are
/// the documents; attachments are passed over without being kept in memory.
enum MIMEParts {
    /// A line: where it starts, its first bytes (enough to compare with a boundary or read a
    /// header), and where it ends without its line break.
    private struct Line {
        var start: Int64
        var number: Int
        var head: [UInt8]
        var contentEnd: Int64
        var text: String { String(decoding: head, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    private static let kept = 1024

    static func xmlDocuments(in path: String, range: Range<Int64>?, firstLine: Int) throws(XMLError) -> [XMLDocumentFinder.Document] {
        var stream = try ByteStream(path: path, range: range, firstLine: firstLine)
        defer { stream.close() }
        // The first line that is not blank is the boundary.
        var boundary = ""
        while boundary.isEmpty, let line = try nextLine(&stream) { boundary = line.text }
        guard boundary.hasPrefix("--"), boundary.count > 2 else { throw XMLError("the file starts with \"-\" but not with a MIME boundary") }
        var documents: [XMLDocumentFinder.Document] = []
        var ended = false
        while !ended {
            // Headers, up to the blank line.
            var contentType = ""
            var headerCount = 0
            while let line = try nextLine(&stream), !line.text.isEmpty {
                headerCount += 1
                guard headerCount <= 100 else { throw XMLError("a MIME part has more than 100 header lines", issues: [XMLIssue(line: line.number, path: nil, message: "too many MIME header lines")]) }
                if line.text.lowercased().hasPrefix("content-type:") { contentType = line.text.lowercased() }
            }
            let bodyStart = stream.offset
            let bodyLine = stream.line
            var bodyEnd: Int64?
            // The body, up to the next boundary line (its line break belongs to the boundary).
            var previousEnd = bodyStart
            while let line = try nextLine(&stream) {
                let text = line.text
                if text.hasPrefix(boundary) {
                    bodyEnd = max(bodyStart, previousEnd)
                    ended = text == boundary + "--"
                    break
                }
                previousEnd = line.contentEnd
            }
            guard let end = bodyEnd else {
                throw XMLError("the MIME message ends without its closing boundary", issues: [XMLIssue(line: stream.line, path: nil, message: "missing closing MIME boundary \(boundary)--")])
            }
            if contentType.contains("xml") {
                documents += try XMLDocumentFinder.documents(in: path, range: bodyStart..<end, firstLine: bodyLine)
            }
        }
        return documents
    }

    /// The next line (nil at the end); only its first bytes are kept.
    private static func nextLine(_ stream: inout ByteStream) throws(XMLError) -> Line? {
        var line = Line(start: stream.offset, number: stream.line, head: [], contentEnd: stream.offset)
        var sawAny = false
        while let byte = try stream.next() {
            sawAny = true
            if byte == 0x0A { return line }
            if byte != 0x0D { line.contentEnd = stream.offset }
            if line.head.count < kept { line.head.append(byte) }
        }
        return sawAny ? line : nil
    }
}
