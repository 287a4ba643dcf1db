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

    public var isEmpty: Bool { total == 0 }
}
