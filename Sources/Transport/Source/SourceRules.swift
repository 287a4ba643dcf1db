public import Formats

/// Which files of a folder a flow takes, when a file is complete, and which files it refuses
/// without reading them. The same for a local inbox and a partner's folder.
public struct SourceRules: Sendable {
    /// Shell-style pattern the names must match (`*.csv`).
    public var glob: String
    /// When a file counts as complete: unchanged for a while, or with its done-marker.
    public var readiness: SettleTracker.Rule
    /// Files larger than this are refused.
    public var maxSize: Int64
    /// Whether a local file still open for writing by some process waits, however long it has
    /// been unchanged (`OpenWriters`).
    public var waitForWriters: Bool

    public init(glob: String, readiness: SettleTracker.Rule, maxSize: Int64, waitForWriters: Bool = true) {
        self.glob = glob
        self.readiness = readiness
        self.maxSize = maxSize
        self.waitForWriters = waitForWriters
    }

    /// The done-marker suffixes (`.done`, `.ok`), or none when files settle by time.
    public var markerSuffixes: [String] {
        if case .marker(let suffixes) = readiness { suffixes } else { [] }
    }

    /// Whether a listed name is one the flow looks at: not a folder, not a file still being
    /// written by convention, not a done-marker, and matching the glob (a refused name is
    /// looked at, to be reported).
    public func isCandidate(_ entry: InboxEntry) -> Bool {
        if entry.kind == .directory || FileNamePolicy.isTemporary(entry.name) { return false }
        if markerSuffixes.contains(where: { entry.name.hasSuffix($0) }) { return false }
        return FileNamePolicy.problem(with: entry.nameBytes) != nil || FileNamePolicy.matches(entry.name, glob: glob)
    }

    /// Why a ready entry is refused without reading it (a bad name, a link, a pipe, too
    /// large), or nil. `onServer`: the entry is on a partner's server, where it is left.
    public func refusal(of entry: InboxEntry, onServer: Bool) -> Refusal? {
        let left = onServer ? "; it was left on the server" : ""
        if let problem = FileNamePolicy.problem(with: entry.nameBytes) {
            return Refusal(code: .badFileName, message: "the file name \"\(entry.name)\" is refused: \(problem)\(left)")
        } else if entry.kind == .symlink {
            return Refusal(
                code: .symlinkRefused, message: "\"\(entry.name)\" is a symbolic link\(onServer ? " on the server" : ""); Hafen only takes regular files\(left)")
        } else if entry.kind != .regular {
            return Refusal(
                code: .notRegularFile, message: "\"\(entry.name)\" is not a regular file\(onServer ? " on the server" : " (a pipe, socket or device)")\(left)")
        } else if entry.size > maxSize {
            return Refusal(code: .fileTooLarge, message: "the file has \(entry.size) bytes, over the flow's limit of \(maxSize)\(left)")
        }
        return nil
    }
}

/// Why a file is refused before it is read: its problem code and the sentence for the report.
public struct Refusal: Sendable, Equatable {
    public var code: DiagnosticCode
    public var message: String

    public init(code: DiagnosticCode, message: String) {
        self.code = code
        self.message = message
    }
}
