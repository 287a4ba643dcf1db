/// A set of byte-string keys remembering where each was first seen, for `unique` and key checks.
///
/// Keys live back to back in one byte arena, with an open-addressing table of entry numbers, so a
/// million short keys take about 30 MB instead of a million `String`s in a `Dictionary`.
struct KeySet {
    private var arena: [UInt8] = []
    private var ends: [UInt32] = []
    private var rows: [UInt32] = []
    private var lines: [UInt32] = []
    private var slots: [Int32]
    private var mask: Int

    init() {
        slots = [Int32](repeating: -1, count: 1024)
        mask = 1023
    }

    var count: Int { ends.count }

    /// Adds the key; if it was there already, returns the row and line of its first occurrence.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, row: Int, line: Int) -> (row: Int, line: Int)? {
        let hash = Self.hash(key)
        var slot = hash & mask
        while true {
            let entry = slots[slot]
            if entry < 0 { break }
            if keyEquals(Int(entry), key) { return (Int(rows[Int(entry)]), Int(lines[Int(entry)])) }
            slot = (slot + 1) & mask
        }
        arena.append(contentsOf: key)
        ends.append(UInt32(truncatingIfNeeded: arena.count))
        rows.append(UInt32(truncatingIfNeeded: row))
        lines.append(UInt32(truncatingIfNeeded: line))
        slots[slot] = Int32(ends.count - 1)
        if ends.count * 2 > slots.count { grow() }
        return nil
    }

    mutating func insert(_ key: [UInt8], row: Int, line: Int) -> (row: Int, line: Int)? {
        key.withUnsafeBufferPointer { insert($0, row: row, line: line) }
    }

    private func range(_ entry: Int) -> Range<Int> {
        (entry == 0 ? 0 : Int(ends[entry - 1]))..<Int(ends[entry])
    }

    private func keyEquals(_ entry: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let r = range(entry)
        guard r.count == key.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            for k in 0..<key.count where a[r.lowerBound + k] != key[k] { return false }
            return true
        }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        var fresh = [Int32](repeating: -1, count: capacity)
        let newMask = capacity - 1
        arena.withUnsafeBufferPointer { a in
            for entry in 0..<ends.count {
                let r = range(entry)
                var slot = Self.hash(UnsafeBufferPointer(rebasing: a[r])) & newMask
                while fresh[slot] >= 0 { slot = (slot + 1) & newMask }
                fresh[slot] = Int32(entry)
            }
        }
        slots = fresh
        mask = newMask
    }

    /// FNV-1a with a final multiply-xorshift, so sequential SKUs spread over the table.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key {
            h ^= UInt64(b)
            h &*= 0x100_0000_01b3
        }
        h ^= h >> 29
        h &*= 0xbf58_476d_1ce4_e5b9
        h ^= h >> 32
        return Int(truncatingIfNeeded: h)
    }
}
