import Testing
import Transport

struct SettleTrackerTests {
    static func entry(_ name: String, size: Int64, modified: Int64 = 1) -> InboxEntry {
        InboxEntry(nameBytes: Array(name.utf8), kind: .regular, size: size, modified: modified, device: 1, inode: 7)
    }

    @Test func takesAFileOnlyAfterItStayedUnchangedForTheSettleTime() {
        var tracker = SettleTracker(rule: .stable(.seconds(2)))
        let start = ContinuousClock.now
        #expect(tracker.ready([Self.entry("a.csv", size: 10)], now: start) { _ in false }.isEmpty)
        #expect(tracker.nextDeadline(now: start) == .seconds(2))
        #expect(tracker.ready([Self.entry("a.csv", size: 10)], now: start + .seconds(1)) { _ in false }.isEmpty)
        // Still growing: the clock starts again.
        #expect(tracker.ready([Self.entry("a.csv", size: 20)], now: start + .seconds(2)) { _ in false }.isEmpty)
        #expect(tracker.ready([Self.entry("a.csv", size: 20)], now: start + .seconds(3)) { _ in false }.isEmpty)
        let ready = tracker.ready([Self.entry("a.csv", size: 20)], now: start + .seconds(4)) { _ in false }
        #expect(ready.map(\.name) == ["a.csv"])
    }

    @Test func aChangedModificationTimeRestartsTheWait() {
        var tracker = SettleTracker(rule: .stable(.seconds(1)))
        let start = ContinuousClock.now
        _ = tracker.ready([Self.entry("a.csv", size: 5, modified: 1)], now: start) { _ in false }
        #expect(tracker.ready([Self.entry("a.csv", size: 5, modified: 2)], now: start + .seconds(1)) { _ in false }.isEmpty)
        #expect(tracker.ready([Self.entry("a.csv", size: 5, modified: 2)], now: start + .seconds(2)) { _ in false }.count == 1)
    }

    @Test func waitsForADoneMarkerWhenConfigured() {
        var tracker = SettleTracker(rule: .marker(suffixes: [".done", ".ok"]))
        let entries = [Self.entry("a.csv", size: 5), Self.entry("b.csv", size: 5)]
        #expect(tracker.ready(entries) { _ in false }.isEmpty)
        let ready = tracker.ready(entries) { $0 == "b.csv.ok" }
        #expect(ready.map(\.name) == ["b.csv"])
        #expect(tracker.nextDeadline() == nil)
    }

    @Test func forgetsFilesThatDisappeared() {
        var tracker = SettleTracker(rule: .stable(.seconds(1)))
        let start = ContinuousClock.now
        _ = tracker.ready([Self.entry("a.csv", size: 5)], now: start) { _ in false }
        _ = tracker.ready([], now: start) { _ in false }
        #expect(tracker.nextDeadline(now: start) == nil)
        // Back again: it has to settle anew.
        #expect(tracker.ready([Self.entry("a.csv", size: 5)], now: start + .seconds(5)) { _ in false }.isEmpty)
    }

    @Test func doesNotWakeForAFileOfferedButNotTakenSoAFailingClaimCannotLoop() {
        var tracker = SettleTracker(rule: .stable(.seconds(1)))
        let start = ContinuousClock.now
        _ = tracker.ready([Self.entry("a.csv", size: 5)], now: start) { _ in false }
        #expect(tracker.nextDeadline(now: start + .seconds(2)) == .zero, "settled, not yet offered: look now")
        #expect(tracker.ready([Self.entry("a.csv", size: 5)], now: start + .seconds(2)) { _ in false }.count == 1)
        #expect(tracker.nextDeadline(now: start + .seconds(2)) == nil, "offered and not taken: it waits for its retry")
        #expect(tracker.ready([Self.entry("a.csv", size: 5)], now: start + .seconds(3)) { _ in false }.count == 1, "still offered")
        // It changes: it settles anew, and counts again.
        _ = tracker.ready([Self.entry("a.csv", size: 9)], now: start + .seconds(4)) { _ in false }
        #expect(tracker.nextDeadline(now: start + .seconds(4)) == .seconds(1))
    }
}
