/// A row whose key under one constraint was already in an earlier row; sorted by row.
struct DuplicateKey: SortRecord {
    var row: UInt64
    var constraint: UInt64
    var firstRow: UInt64
    var firstLine: UInt64

    static func < (a: DuplicateKey, b: DuplicateKey) -> Bool {
        a.row != b.row ? a.row < b.row : a.constraint < b.constraint
    }
}
