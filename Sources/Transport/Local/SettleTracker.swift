/// Decides when a file in an inbox is complete: its size, mtime and inode have stayed the same
/// for the settle time on the monotonic clock (wall-clock jumps cannot fake it), or a done-marker
/// (`NAME.done`, `NAME.ok`) exists, as Apache Camel's read-lock strategies do.
public struct SettleTracker {
    public enum Rule: Sendable, Equatable {
        case stable(Duration)
        case marker(suffixes: [String])
    }

    public let rule: Rule
    private var seen: [[UInt8]: (fingerprint: [Int64], since: ContinuousClock.Instant)] = [:]
    /// Names returned as ready and not taken since (their claim failed; they wait for a retry).
    private var offered: Set<[UInt8]> = []

    public init(rule: Rule) {
        self.rule = rule
    }

    /// The entries ready to claim now; remembers the rest. `markerPresent` answers for marker names.
    public mutating func ready(
        _ entries: [InboxEntry], now: ContinuousClock.Instant = .now, markerPresent: (String) -> Bool
    ) -> [InboxEntry] {
        var ready: [InboxEntry] = []
        var current: Set<[UInt8]> = []
        for entry in entries {
            current.insert(entry.nameBytes)
            switch rule {
            case .marker(let suffixes):
                if suffixes.contains(where: { markerPresent(entry.name + $0) }) { ready.append(entry) }
            case .stable(let settle):
                if let previous = seen[entry.nameBytes], previous.fingerprint == entry.fingerprint {
                    if now - previous.since >= settle {
                        ready.append(entry)
                        offered.insert(entry.nameBytes)
                    }
                } else {
                    seen[entry.nameBytes] = (entry.fingerprint, now)
                    offered.remove(entry.nameBytes)
                }
            }
        }
        seen = seen.filter { current.contains($0.key) }
        offered = offered.filter { current.contains($0) }
        return ready
    }

    /// How long until the earliest file still settling could be ready (nil if none is). A file
    /// already offered as ready and not taken (its claim failed) does not count: it waits for
    /// its retry, and waking for it at once would make a hot loop of it.
    public func nextDeadline(now: ContinuousClock.Instant = .now) -> Duration? {
        guard case .stable(let settle) = rule else { return nil }
        return seen.filter { !offered.contains($0.key) }.values.map { max(.zero, settle - (now - $0.since)) }.min()
    }

    /// Starts the wait of a file again from `now` (a writer still holds it open).
    public mutating func restart(_ entry: InboxEntry, now: ContinuousClock.Instant = .now) {
        seen[entry.nameBytes] = (entry.fingerprint, now)
        offered.remove(entry.nameBytes)
    }

    /// Forgets a name (after it was claimed).
    public mutating func forget(_ nameBytes: [UInt8]) {
        seen[nameBytes] = nil
        offered.remove(nameBytes)
    }
}
