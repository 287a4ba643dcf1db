import Foundation
import HTTPTypes
import HafenTesting
import Ledger
import Testing

/// SIGTERM pinned to every stage: the daemon is made to wait at a named point
/// (`HAFEN_PAUSE_AT`), gets SIGTERM there, and is let go. It must finish the step in hand and
/// exit by itself with status 0, and once restarted the end state must equal a run without a
/// stop — the same comparison as the crash matrix, for intake, shipments and webhook exports.
extension CrashMatrixTests {
    struct Stop {
        var reached: Bool
        var status: Int32
        var log: String
        var stoppedCleanly: Bool { reached && status == 0 && log.contains("[Gateway] stopped") }
    }

    /// Waits for `daemon` to reach the pause at `file`, sends SIGTERM, lets it go on after a
    /// moment (the signal is handled by then), and waits up to 15 s for it to exit.
    static func terminate(_ daemon: DaemonProcess, pausedAt file: String) async throws -> Stop {
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: file) && daemon.isRunning && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        guard FileManager.default.fileExists(atPath: file) else {
            return Stop(reached: false, status: daemon.terminate(within: 15), log: daemon.log)
        }
        daemon.send(SIGTERM)
        try await Task.sleep(for: .milliseconds(300))
        try FileManager.default.removeItem(atPath: file)
        let status = daemon.exitStatus(within: 15) ?? daemon.terminate(within: 0)
        return Stop(reached: true, status: status, log: daemon.log)
    }

    /// Whether a log shows a start recovering work a stop left half-done.
    static func recovers(_ log: String) -> Bool {
        ["resuming an interrupted file", "adopted a claimed file", "finishing an interrupted"].contains { log.contains($0) }
    }

    static func pausing(at point: String, in folder: String) -> [String: String] {
        ["HAFEN_PAUSE_AT": point, "HAFEN_PAUSE_FILE": folder + "/.pause"]
    }

    @Test func aSIGTERMAtEveryIntakePointStopsCleanlyAndEndsLikeARunWithoutOne() async throws {
        let simulator = try SimulatorProcess()
        let reference = try Self.demoFolder(simulator)
        _ = try Self.run(reference)
        let expected = try await Self.state(reference, simulator)
        #expect(expected.files.count == 6, "\(expected)")

        for point in ["claimed", "hashed", "validated", "committed", "placed", "pushed-batch"] {
            try await simulator.admin(.post, "/admin/reset")
            let dir = try Self.demoFolder(simulator)
            let daemon = try DaemonProcess(configPath: dir.file("hafen.yaml"), in: dir.path, environment: Self.pausing(at: point, in: dir.path))
            let stop = try await Self.terminate(daemon, pausedAt: dir.path + "/.pause")
            #expect(stop.stoppedCleanly, "SIGTERM at \(point): reached \(stop.reached), status \(stop.status)\n\(stop.log)")
            // The file in hand was finished: the next start has nothing half-done to recover.
            let next = try ProcessRunner.run(HafenBinary.path, ["run", "--once", "--log-level", "notice", "-c", dir.file("hafen.yaml")], in: dir.path)
            #expect(!Self.recovers(next.stderr), "after SIGTERM at \(point): \(next.stderr)")
            for _ in 0..<2 { _ = try Self.run(dir) }
            let after = try await Self.state(dir, simulator)
            #expect(after.files == expected.files, "ledger after SIGTERM at \(point):\n\(after.files)\nexpected:\n\(expected.files)")
            #expect(after.folders == expected.folders, "folders after SIGTERM at \(point):\n\(Set(after.folders).symmetricDifference(expected.folders))")
            #expect(after.shop == expected.shop, "the shop after SIGTERM at \(point) differs")
        }
    }

    /// `hafen run --once` (from cron, say) stops as the daemon does: the file in hand is
    /// finished, the rest is left for the next run, and the run says so.
    @Test func aSIGTERMDuringRunOnceFinishesTheFileInHandAndLeavesTheRest() async throws {
        let simulator = try SimulatorProcess()
        let reference = try Self.demoFolder(simulator)
        _ = try Self.run(reference)
        let expected = try await Self.state(reference, simulator)
        try await simulator.admin(.post, "/admin/reset")
        let dir = try Self.demoFolder(simulator)
        let once = try DaemonProcess(configPath: dir.file("hafen.yaml"), in: dir.path, environment: Self.pausing(at: "committed", in: dir.path), once: true)
        let stop = try await Self.terminate(once, pausedAt: dir.path + "/.pause")
        #expect(stop.reached && stop.status == 0, "status \(stop.status)\n\(stop.log)")
        #expect(stop.log.contains("stopped by a signal"), "\(stop.log)")
        let ledger = try Ledger(path: dir.file(".hafen/ledger.sqlite"))
        let first = try ledger.files(limit: 10)
        #expect(first.count == 1 && first.allSatisfy { $0.state.isFinal && $0.placed }, "\(first.map(Self.line))")
        let next = try ProcessRunner.run(HafenBinary.path, ["run", "--once", "--log-level", "notice", "-c", dir.file("hafen.yaml")], in: dir.path)
        #expect(!Self.recovers(next.stderr), "\(next.stderr)")
        for _ in 0..<2 { _ = try Self.run(dir) }
        let after = try await Self.state(dir, simulator)
        #expect(after == expected, "after SIGTERM during run --once:\n\(after)\nexpected:\n\(expected)")
    }

    @Test func aSIGTERMAtEveryShippingPointStopsCleanlyAndEndsLikeARunWithoutOne() async throws {
        let simulator = try SimulatorProcess()
        let (reference, ids) = try await Self.dispatchFolder(simulator)
        _ = try reference.hafen(["run", "--once", "--log-level", "error"])
        let expected = try await Self.dispatchState(reference, orders: ids)

        for point in ["claimed", "hashed", "validated", "shipped", "committed", "placed"] {
            let (h, again) = try await Self.dispatchFolder(simulator)
            let daemon = try DaemonProcess(configPath: h.dir.file("hafen.yaml"), in: h.dir.path, environment: Self.pausing(at: point, in: h.dir.path))
            let stop = try await Self.terminate(daemon, pausedAt: h.dir.path + "/.pause")
            #expect(stop.stoppedCleanly, "SIGTERM at \(point): reached \(stop.reached), status \(stop.status)\n\(stop.log)")
            let next = try h.hafen(["run", "--once", "--log-level", "notice"])
            #expect(!Self.recovers(next.stderr), "after SIGTERM at \(point): \(next.stderr)")
            for _ in 0..<2 { _ = try h.hafen(["run", "--once", "--log-level", "error"]) }
            let after = try await Self.dispatchState(h, orders: again)
            #expect(after.files == expected.files, "ledger after SIGTERM at \(point):\n\(after.files)\nexpected:\n\(expected.files)")
            #expect(after.folders == expected.folders, "folders after SIGTERM at \(point):\n\(Set(after.folders).symmetricDifference(expected.folders))")
            #expect(after.shop == expected.shop, "the shop after SIGTERM at \(point):\n\(after.shop)\nexpected:\n\(expected.shop)")
        }
    }

    @Test func aSIGTERMAtEveryWebhookExportPointStopsCleanlyAndEndsLikeARunWithoutOne() async throws {
        let simulator = try SimulatorProcess()
        let generate = Self.webhookOrders
        let expected = try await Self.webhookReference(simulator)

        for point in ["export-begun", "export-synced", "export-placed", "webhooks-exported"] {
            let port = DaemonProcess.freePort()
            let h = try await Self.webhookHarness(simulator, port: port)
            let stopping = try await Self.webhookDaemon(h, port: port, environment: Self.pausing(at: point, in: h.dir.path))
            try await simulator.admin(.post, "/admin/orders/generate", json: generate)
            let stop = try await Self.terminate(stopping, pausedAt: h.dir.path + "/.pause")
            #expect(stop.stoppedCleanly, "SIGTERM at \(point): reached \(stop.reached), status \(stop.status)\n\(stop.log)")
            // The file in hand was finished: nothing is left under a temporary name.
            #expect(!h.dir.list("outbox/orders").contains { $0.hasPrefix(".") }, "\(h.dir.list("outbox/orders"))")
            let restarted = try DaemonProcess(
                configPath: h.dir.file("hafen.yaml"), in: h.dir.path, environment: ["HAFEN_TEST_WEBHOOK_SECRET": WebhookTests.secret])
            // (The stopped daemon may have left nothing to do: SIGTERM only after the start, not
            // during it, when the signal's handler is not yet set.)
            let settled = try await WebhookTests.eventually(15) { try restarted.log.contains("listening") && Self.exportState(h) == expected }
            #expect(restarted.terminate(within: 10) == 0)
            let after = try Self.exportState(h)
            #expect(settled && after == expected, "after SIGTERM at \(point):\n\(after)\nexpected:\n\(expected)\n\(restarted.log)")
        }
    }
}
