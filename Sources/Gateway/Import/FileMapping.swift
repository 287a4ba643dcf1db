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
        return mapper!.add(record, into: &log)
    }

    mutating func restart() {
        mapper = nil
        log = DiagnosticLog(cap: cap)
    }

    /// Ends the file: checks variants against each other and returns the objects.
    mutating func finish() -> MappingResult {
        guard var mapper else { return MappingResult() }
        return mapper.finish(into: &log)
    }
}
