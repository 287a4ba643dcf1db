/// One row's key under one constraint, as the sorter holds it: 32 bytes, no pointers.
struct KeyEntry: SortRecord {
    var fingerprint: KeyFingerprint
    var row: UInt64
    var line: UInt64

    /// Equal keys sort together, each group in file order, so its first element is the first occurrence.
    static func < (a: KeyEntry, b: KeyEntry) -> Bool {
        if a.fingerprint.high != b.fingerprint.high { return a.fingerprint.high < b.fingerprint.high }
        if a.fingerprint.low != b.fingerprint.low { return a.fingerprint.low < b.fingerprint.low }
        return a.row < b.row
    }

    /// Fingerprints are uniform: a radix pass on their top bits beats comparing.
    static func sortRun(_ run: inout [KeyEntry]) {
        UniformRadixSort.sort(&run) { $0.fingerprint.high }
    }

    static func == (a: KeyEntry, b: KeyEntry) -> Bool {
        a.fingerprint == b.fingerprint && a.row == b.row
    }
}
