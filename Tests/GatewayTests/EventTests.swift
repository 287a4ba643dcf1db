import Foundation
import Gateway
import HafenTesting
import Ledger
import Testing

/// The pipelines publish what happens; tests (and `hafen run`, and the admin console) wait on
/// those events instead of sleeping.
@Suite struct EventTests {
    /// The events published until the stream ends, or the first `count` of them.
    static func collect(_ stream: AsyncStream<GatewayEvent>, count: Int = .max) async -> [GatewayEvent] {
        var events: [GatewayEvent] = []
        for await event in stream {
            events.append(event)
            if events.count == count { break }
        }
        return events
    }

    @Test func aFileIsReceivedCheckedAndSettledInThatOrder() async throws {
        let h = try GatewayHarness()
        let events = GatewayEvents()
        let stream = events.subscribe()
        try h.drop(sample: "stock-with-errors.csv", into: "stock")
        let gateway = try h.gateway(events: events)
        // The first pass sees the file, the second takes it once it has settled (0 s).
        var finished = await gateway.scanOnce().finished
        if finished.isEmpty { finished = await gateway.scanOnce().finished }
        events.finish()
        let seen = await Self.collect(stream)
        #expect(seen.count == 3, "\(seen)")
        guard seen.count == 3, case .received(let received) = seen[0], case .stageFinished(let flow, let id, .check, _) = seen[1],
            case .settled(let settled) = seen[2]
        else {
            Issue.record("unexpected events: \(seen)")
            return
        }
        #expect(received.name == "stock-with-errors.csv" && received.state == .received)
        #expect(flow == "stock" && id == received.id)
        #expect(settled.id == received.id && settled.state == .partial && settled.placed)
        #expect(finished.map(\.id) == [settled.id])
    }

    @Test func theDaemonIsWatchedThroughItsEvents() async throws {
        let h = try GatewayHarness()
        let events = GatewayEvents()
        let stream = events.subscribe()
        let service = GatewayService(config: try h.config(), logger: GatewayHarness.quietLogger, events: events)
        let daemon = Task { try await service.run() }
        defer { daemon.cancel() }
        try h.drop(sample: "stock-20261122.csv", into: "stock")
        // Waits for the settled file itself; a deadline guards against a daemon that never takes
        // it (generous: under ThreadSanitizer and a loaded machine 30 s were once not enough).
        let settled = try await withThrowingTaskGroup(of: FileEntry?.self) { group in
            group.addTask {
                for await event in stream {
                    if case .settled(let entry) = event { return entry }
                }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: .seconds(120))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        #expect(settled?.name == "stock-20261122.csv")
        #expect(settled?.state == .done)
        #expect(settled.map { FileManager.default.fileExists(atPath: $0.finalPath ?? "") } == true, "the file is in its final place when it is settled")
    }
}
