/// Collects a file's diagnostics up to a cap while counting all of them.
public struct DiagnosticLog: Sendable {
    public private(set) var kept: [Diagnostic] = []
    public private(set) var total = 0
    public private(set) var errorCount = 0
    public let cap: Int

    public init(cap: Int = 1000) {
        self.cap = cap
    }

    public mutating func append(_ diagnostic: Diagnostic) {
        total += 1
        if diagnostic.severity == .error { errorCount += 1 }
        if kept.count < cap { kept.append(diagnostic) }
    }

    public mutating func append(contentsOf diagnostics: some Sequence<Diagnostic>) {
        for diagnostic in diagnostics { append(diagnostic) }
    }

    /// Adds another log's findings (of the same file), keeping the first `cap` in file order:
    /// by row, then column; findings without a row first.
    public mutating func merge(_ other: DiagnosticLog) {
        let combined = (kept + other.kept).enumerated().sorted { a, b in
            let ka = (a.element.position.row ?? 0, a.element.position.column ?? 0, a.offset)
            let kb = (b.element.position.row ?? 0, b.element.position.column ?? 0, b.offset)
            return ka < kb
        }
        kept = Array(combined.prefix(cap).map(\.element))
        total += other.total
        errorCount += other.errorCount
    }

    public var isEmpty: Bool { total == 0 }
}
