import Foundation
import HafenTesting
import Logging
import SFTP
import Testing
import Transport

/// A partner's health: a network failure lets it rest with a growing backoff, a refused host
/// key or login pauses it; other failures concern one file; each change is told once.
struct PartnerLinksTests {
    final class Changes: @unchecked Sendable {
        var seen: [PartnerLinks.Change] = []
    }

    static func links(_ changes: Changes) -> PartnerLinks {
        let endpoint = SFTPEndpoint(
            host: "127.0.0.1", port: 1, user: "erp", authentication: .password("x"), hostKey: .fingerprint("SHA256:x"),
            connectTimeout: .seconds(1), timeout: .seconds(1))
        return PartnerLinks(endpoints: ["erp": endpoint, "other": endpoint], logger: Logger(label: "test")) { changes.seen.append($0) }
    }

    @Test func aNetworkFailureRestsThePartnerWithABackoffThatGrows() {
        let changes = Changes()
        let links = Self.links(changes)
        let now = ContinuousClock.now
        let scope = links.failed("erp", SFTPError(.connect, "connection refused"), doing: "listing sftp://erp/out", now: now)
        #expect(scope == .source)
        #expect(links.client("erp", now: now) == nil, "resting")
        #expect(links.client("erp", now: now + .seconds(3)) != nil, "2 s after the first failure")
        #expect(links.client("other", now: now) != nil, "other partners go on")
        links.failed("erp", SFTPError(.timeout, "timed out"), doing: "listing", now: now)
        #expect(links.client("erp", now: now + .seconds(3)) == nil, "4 s after the second")
        #expect(links.failing.map(\.partner) == ["erp"])
        #expect(changes.seen == [.down(partner: "erp", reason: "connection refused"), .down(partner: "erp", reason: "timed out")])
        links.succeeded("erp")
        #expect(links.failing.isEmpty)
        #expect(changes.seen.last == .up(partner: "erp"))
    }

    @Test func aRefusedLoginPausesThePartnerForTenMinutes() {
        let changes = Changes()
        let links = Self.links(changes)
        let now = ContinuousClock.now
        #expect(links.failed("erp", SFTPError(.authentication, "login refused"), doing: "listing", flow: "stock", now: now) == .source)
        #expect(links.client("erp", now: now + .seconds(599)) == nil)
        #expect(links.client("erp", now: now + .seconds(601)) != nil)
        #expect(changes.seen == [.paused(partner: "erp", reason: "login refused", flow: "stock")])
    }

    @Test func aFailureOfOneFileLeavesThePartnerAlone() {
        let changes = Changes()
        let links = Self.links(changes)
        #expect(links.failed("erp", SFTPError(.server(status: 3), "permission denied"), doing: "fetching a.csv") == .file)
        #expect(links.failed("erp", CocoaError(.fileWriteOutOfSpace), doing: "fetching a.csv") == .file)
        #expect(links.client("erp") != nil)
        #expect(links.failing.isEmpty && changes.seen.isEmpty)
        links.succeeded("erp")
        #expect(changes.seen.isEmpty, "a healthy partner is not announced as back")
    }

    @Test func tellsWhatAnErrorReachesWithoutCountingIt() {
        let changes = Changes()
        let links = Self.links(changes)
        #expect(PartnerLinks.scope(of: SFTPError(.connection, "reset")) == .source)
        #expect(PartnerLinks.scope(of: SFTPError(.hostKey, "changed")) == .source)
        #expect(PartnerLinks.scope(of: SFTPError(.server(status: 2), "no such file")) == .file)
        #expect(PartnerLinks.scope(of: CocoaError(.fileNoSuchFile)) == .file)
        #expect(links.failing.isEmpty && changes.seen.isEmpty, "asking changes nothing")
    }
}
