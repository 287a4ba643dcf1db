import Formats
import Mapping
import Validation

/// Maps the valid rows of one file while it is checked, so mapping problems are found at intake
/// and reported like validation problems. Starts over when the check does (repeated keys).
struct FileMapping {
    let spec: MappingSpec
    let file: String
    private let cap: Int
    private var mapper: Mapper?
    private(set) var log: DiagnosticLog
    /// Rows that were valid but could not be mapped, found while adding.
    private(set) var failedWhileAdding = 0

    init(spec: MappingSpec, file: String, cap: Int) {
        self.spec = spec
        self.file = file
        self.cap = cap
        log = DiagnosticLog(cap: cap)
    }

    /// Maps a valid record, with the 1-based column of each field for positions; false when it
    /// could not be mapped (it is then rejected).
    mutating func add(_ record: SourceRecord, columnNumbers: [String: Int]) -> Bool {
        if mapper == nil { mapper = Mapper(spec: spec, file: file, columnNumbers: columnNumbers) }
        let mapped = mapper!.add(record, into: &log)
        if !mapped { failedWhileAdding += 1 }
        return mapped
    }

    mutating func restart() {
        mapper = nil
        log = DiagnosticLog(cap: cap)
        failedWhileAdding = 0
    }

    /// Ends the file: checks variants against each other and returns the objects.
    mutating func finish() -> MappingResult {
        guard var mapper else { return MappingResult() }
        return mapper.finish(into: &log)
    }
}
