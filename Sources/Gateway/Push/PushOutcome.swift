/// What pushing one file to its flow's shops did.
struct PushOutcome {
    var reports: [PushReport] = []
    /// Rows whose objects some shop accepted.
    var rowsPushed = 0
    /// Rows whose objects were unchanged in every shop.
    var rowsUnchanged = 0
    var refused: Int { reports.reduce(0) { $0 + $1.refused } }
    var failures: [String] { reports.compactMap { $0.failure.map { "shop \($0)" } } }
}
