/// Finds rows whose key repeats an earlier row's, for every key constraint of a schema, in memory
/// that does not grow with the file: each key becomes a fingerprint entry in an `ExternalSorter`;
/// after the last row, equal fingerprints sort next to each other and every group's later rows
/// are duplicates of its first.
struct KeyChecker {
    let constraints: [KeyConstraint]
    private let hasher: KeyHasher
    private let options: KeyOptions
    private var entries: ExternalSorter<KeyEntry>

    init(constraints: [KeyConstraint], options: KeyOptions, hasher: KeyHasher = KeyHasher()) {
        self.constraints = constraints
        self.options = options
        self.hasher = hasher
        entries = ExternalSorter(directory: options.spillDirectory, memoryBudget: options.memoryBudget)
    }

    /// Starts the key of one row under constraint number `constraint`; feed its components, then `add` it.
    @inline(__always)
    func startKey(constraint: Int) -> KeyHash {
        hasher.start(salt: UInt64(constraint))
    }

    /// Records a finished key of one row under constraint number `constraint`.
    @inline(__always)
    mutating func add(_ key: KeyHash, constraint: Int, row: Int, line: Int) throws(SpillError) {
        try entries.append(KeyEntry(fingerprint: key.finish(), row: UInt64(row), line: UInt64(line) << 8 | UInt64(constraint)))
    }

    /// Keys recorded so far.
    var count: Int { entries.count }

    /// Ends the pass and returns every duplicate, sorted by row (and constraint within a row).
    mutating func duplicates() throws(SpillError) -> (count: Int, rows: SortedElements<DuplicateKey>) {
        var sorted = try entries.sorted()
        var found = ExternalSorter<DuplicateKey>(directory: options.spillDirectory, memoryBudget: options.memoryBudget / 2)
        var group: KeyEntry?
        while let entry = try sorted.next() {
            if let first = group, first.fingerprint == entry.fingerprint {
                try found.append(DuplicateKey(
                    row: entry.row, constraint: entry.line & 0xFF, firstRow: first.row, firstLine: first.line >> 8))
            } else {
                group = entry
            }
        }
        return (found.count, try found.sorted())
    }
}
