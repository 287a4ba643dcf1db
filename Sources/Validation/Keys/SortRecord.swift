/// An element an `ExternalSorter` can hold: plain bytes with an order.
protocol SortRecord: BitwiseCopyable, Comparable {
    /// Sorts one in-memory run; the standard library's sort unless the type knows better.
    static func sortRun(_ run: inout [Self])
}

extension SortRecord {
    static func sortRun(_ run: inout [Self]) {
        run.sort()
    }
}

/// Sorting elements whose leading 64 bits are uniformly spread (fingerprints): in-place American
/// flag sort on 8 bits at a time (256 buckets, few enough that every bucket's write position stays
/// in cache), down to buckets of a few elements, which insertion sort finishes. Elements with
/// equal leading bits (repeated keys) end in one bucket that is sorted by comparison.
enum UniformRadixSort {
    static func sort<Element: Comparable>(_ run: inout [Element], key: (Element) -> UInt64) {
        run.withUnsafeMutableBufferPointer { buffer in
            var next = [Int](repeating: 0, count: 257)
            sort(buffer, 0..<buffer.count, shift: 56, next: &next, key: key)
        }
    }

    private static func sort<Element: Comparable>(
        _ buffer: UnsafeMutableBufferPointer<Element>, _ range: Range<Int>, shift: UInt64, next: inout [Int],
        key: (Element) -> UInt64
    ) {
        if range.count <= 24 {
            insertionSort(buffer, range)
            return
        }
        if shift > 56 {  // 64 bits used up: the leading words are equal
            buffer[range].sort()
            return
        }
        for b in 0...256 { next[b] = 0 }
        for i in range { next[Int((key(buffer[i]) >> shift) & 0xFF) + 1] += 1 }
        next[0] = range.lowerBound
        for b in 0..<256 { next[b + 1] += next[b] }
        var ends = [Int](repeating: 0, count: 256)
        for b in 0..<256 { ends[b] = next[b + 1] }
        for b in 0..<256 {
            while next[b] < ends[b] {
                var element = buffer[next[b]]
                var home = Int((key(element) >> shift) & 0xFF)
                while home != b {
                    swap(&element, &buffer[next[home]])
                    next[home] += 1
                    home = Int((key(element) >> shift) & 0xFF)
                }
                buffer[next[b]] = element
                next[b] += 1
            }
        }
        var start = range.lowerBound
        for b in 0..<256 {
            let end = ends[b]
            if end - start > 1 { sort(buffer, start..<end, shift: shift &- 8, next: &next, key: key) }
            start = end
        }
    }

    private static func insertionSort<Element: Comparable>(_ buffer: UnsafeMutableBufferPointer<Element>, _ range: Range<Int>) {
        guard range.count > 1 else { return }
        for i in range.lowerBound + 1..<range.upperBound {
            let element = buffer[i]
            var j = i
            while j > range.lowerBound && element < buffer[j - 1] {
                buffer[j] = buffer[j - 1]
                j -= 1
            }
            buffer[j] = element
        }
    }
}
