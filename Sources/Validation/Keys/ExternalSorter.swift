#if canImport(Glibc)
import Glibc
#endif

/// Sorts more fixed-size elements than memory should hold: up to a byte budget they are sorted in
/// memory; beyond it each full buffer is sorted and spilled as a run to an unlinked temporary file,
/// and the runs are merged while reading. Memory stays near the budget however many elements come.
struct ExternalSorter<Element: SortRecord> {
    private let directory: String
    private let capacity: Int
    private let budget: Int
    private var buffer: [Element] = []
    private var spill: SpillFile?
    private var runs: [Range<Int>] = []
    /// Elements added so far.
    private(set) var count = 0

    /// - Parameters:
    ///   - directory: where spill files are created (they are unlinked at once, so nothing is left behind).
    ///   - memoryBudget: bytes of elements held in memory before a run is spilled.
    init(directory: String, memoryBudget: Int) {
        self.directory = directory
        budget = max(memoryBudget, 4096)
        capacity = max(budget / MemoryLayout<Element>.stride, 16)
    }

    /// Runs written to disk so far.
    var spilledRuns: Int { runs.count }

    mutating func append(_ element: Element) throws(SpillError) {
        if buffer.count == capacity { try spillBuffer() }
        if buffer.isEmpty { buffer.reserveCapacity(Swift.min(capacity, 1 << 16)) }
        buffer.append(element)
        count += 1
    }

    private mutating func spillBuffer() throws(SpillError) {
        if spill == nil { spill = try SpillFile(directory: directory) }
        Element.sortRun(&buffer)
        let start = runs.last?.upperBound ?? 0
        let spill = spill!
        let written = buffer.withUnsafeBytes { bytes in Result { () throws(SpillError) in try spill.append(bytes) } }
        try written.get()
        runs.append(start..<start + buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Ends adding and returns the elements in ascending order.
    mutating func sorted() throws(SpillError) -> SortedElements<Element> {
        if runs.isEmpty {
            Element.sortRun(&buffer)
            let elements = buffer
            buffer = []
            return SortedElements(memory: elements)
        }
        if !buffer.isEmpty { try spillBuffer() }
        buffer = []
        let perRun = Swift.max(Swift.min(budget / runs.count, 256 * 1024) / MemoryLayout<Element>.stride, 1)
        return try SortedElements(spill: spill!, runs: runs, elementsPerRead: perRun)
    }
}

/// The merged output of an `ExternalSorter`, read one element at a time.
struct SortedElements<Element: SortRecord> {
    private var memory: [Element]
    private var memoryIndex = 0
    private var cursors: [RunCursor<Element>] = []
    /// Indices into `cursors`, a binary min-heap on each cursor's current element.
    private var heap: [Int] = []

    init(memory: [Element]) {
        self.memory = memory
    }

    init(spill: SpillFile, runs: [Range<Int>], elementsPerRead: Int) throws(SpillError) {
        memory = []
        for run in runs {
            var cursor = RunCursor<Element>(spill: spill, run: run, elementsPerRead: elementsPerRead)
            try cursor.load()
            if cursor.current != nil { cursors.append(cursor) }
        }
        heap = Array(cursors.indices)
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
    }

    /// The next element in ascending order, or nil when all have been read.
    mutating func next() throws(SpillError) -> Element? {
        if heap.isEmpty {
            guard memoryIndex < memory.count else { return nil }
            memoryIndex += 1
            return memory[memoryIndex - 1]
        }
        let top = heap[0]
        let element = cursors[top].current!
        try cursors[top].advance()
        if cursors[top].current == nil {
            heap[0] = heap[heap.count - 1]
            heap.removeLast()
        }
        if !heap.isEmpty { siftDown(0) }
        return element
    }

    private func less(_ i: Int, _ j: Int) -> Bool {
        cursors[heap[i]].current! < cursors[heap[j]].current!
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        while true {
            let left = 2 * i + 1, right = left + 1
            var smallest = i
            if left < heap.count && less(left, smallest) { smallest = left }
            if right < heap.count && less(right, smallest) { smallest = right }
            if smallest == i { return }
            heap.swapAt(i, smallest)
            i = smallest
        }
    }
}

/// Reads one sorted run back from the spill file in slices.
struct RunCursor<Element: BitwiseCopyable> {
    let spill: SpillFile
    var remaining: Range<Int>
    let elementsPerRead: Int
    var slice: [Element] = []
    var index = 0

    init(spill: SpillFile, run: Range<Int>, elementsPerRead: Int) {
        self.spill = spill
        remaining = run
        self.elementsPerRead = elementsPerRead
    }

    var current: Element? { index < slice.count ? slice[index] : nil }

    mutating func advance() throws(SpillError) {
        index += 1
        if index >= slice.count { try load() }
    }

    mutating func load() throws(SpillError) {
        let n = Swift.min(elementsPerRead, remaining.count)
        index = 0
        guard n > 0 else {
            slice = []
            return
        }
        let stride = MemoryLayout<Element>.stride
        let offset = remaining.lowerBound * stride
        let spill = spill
        var failure: SpillError?
        slice = [Element](unsafeUninitializedCapacity: n) { buffer, initialized in
            do throws(SpillError) {
                try spill.read(into: UnsafeMutableRawBufferPointer(buffer), at: offset)
                initialized = n
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        remaining = remaining.lowerBound + n..<remaining.upperBound
    }
}
