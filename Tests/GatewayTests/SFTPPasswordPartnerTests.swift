import Foundation
import Gateway
import HafenTesting
import Ledger
import Testing

/// A partner that logs in with a password kept in an environment variable, through the real
/// `hafen` binary against a password-only SSH server.
@Suite struct SFTPPasswordPartnerTests {
    static func folder(for server: PasswordSFTPServer) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("password-partner")
        try FileManager.default.copyItem(atPath: SharedFolder.projectRoot + "/schemas/stock.schema.json", toPath: dir.file("schemas/stock.schema.json"))
        try FileManager.default.createDirectory(atPath: server.root + "/out/stock", withIntermediateDirectories: true)
        try Data(PartnerHarness.stockFile.utf8).write(to: URL(fileURLWithPath: server.root + "/out/stock/bestand.csv"))
        _ = try dir.write(
            """
            partners:
              erp:
                host: 127.0.0.1
                port: \(server.port)
                user: \(server.user)
                password: env:ERP_SFTP_PASSWORD
                known_hosts: \(server.knownHosts)
                directory: \(server.root)
                timeout: 5s
            flows:
            \(PartnerHarness.stockFlow("stock"))
            """, to: "hafen.yaml")
        return dir
    }

    @Test func fetchesWithAPasswordFromTheEnvironment() async throws {
        let server = try PasswordSFTPServer(password: "Lager#2026", method: .keyboardInteractive)
        let dir = try Self.folder(for: server)
        let run = try ProcessRunner.run(
            HafenBinary.path, ["run", "--once", "-c", dir.file("hafen.yaml")], in: dir.path, environment: ["ERP_SFTP_PASSWORD": "Lager#2026"])
        #expect(run.status == 0, "\(run.stderr)")
        let files = try Ledger(path: dir.file(".hafen/ledger.sqlite")).files(flow: "stock")
        #expect(files.map(\.state) == [.done])
        #expect(try FileManager.default.contentsOfDirectory(atPath: server.root + "/out/stock").isEmpty)
    }

    @Test func aWrongPasswordLeavesTheFileAndSaysWhy() async throws {
        let server = try PasswordSFTPServer(password: "Lager#2026")
        let dir = try Self.folder(for: server)
        let run = try ProcessRunner.run(
            HafenBinary.path, ["run", "--once", "-c", dir.file("hafen.yaml")], in: dir.path, environment: ["ERP_SFTP_PASSWORD": "Lager#2025"])
        #expect(run.status == 1, "a partner that refused the login fails the run: \(run.stderr)")
        #expect(run.stderr.contains("partner erp: erp@127.0.0.1:\(server.port) refused the login with password"), "\(run.stderr)")
        #expect(!run.stdout.contains("nothing to do"), "\(run.stdout)")
        #expect(!run.stderr.contains("Lager#2025"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: server.root + "/out/stock") == ["bestand.csv"])
        let status = try ProcessRunner.run(HafenBinary.path, ["status", "-c", dir.file("hafen.yaml")], in: dir.path)
        #expect(status.stdout.contains("Partner paused"), "\(status.stdout)")
        #expect(status.stdout.contains("erp: erp@127.0.0.1:\(server.port) refused the login with password"), "\(status.stdout)")
    }

    /// Another server's listing may show names no Linux disk could hold: 300 bytes of UTF-8,
    /// and one that is not UTF-8 at all. Each is refused once with a ledger row saying why,
    /// left on the server, and the good file beside them is taken; a second run adds nothing.
    @Test func namesOfThreeHundredBytesInAListingAreRefusedOnceAndTheRestTaken() async throws {
        let server = try PasswordSFTPServer(password: "Lager#2026")
        let dir = try Self.folder(for: server)
        let long = Array(String(repeating: "ä", count: 148).utf8) + Array(".csv".utf8)
        #expect(long.count == 300)
        try server.addPhantom(named: long, in: server.root + "/out/stock")
        try server.addPhantom(named: Array("Best".utf8) + [0xE4] + Array("nde\nneu.csv".utf8), in: server.root + "/out/stock")
        let environment = ["ERP_SFTP_PASSWORD": "Lager#2026"]
        let run = try ProcessRunner.run(HafenBinary.path, ["run", "--once", "-c", dir.file("hafen.yaml")], in: dir.path, environment: environment)
        #expect(run.status == 1, "refused files fail the run: \(run.stdout) \(run.stderr)")
        let ledger = try Ledger(path: dir.file(".hafen/ledger.sqlite"))
        let files = try ledger.files(flow: "stock")
        #expect(files.count == 3, "\(files.map(\.name))")
        #expect(files.filter { $0.state == .done }.map(\.name) == ["bestand.csv"])
        let refused = files.filter { $0.state == .failed }
        #expect(refused.count == 2)
        #expect(refused.contains { $0.errorSummary?.contains("longer than 255 bytes") == true }, "\(refused.map { $0.errorSummary ?? "" })")
        #expect(refused.contains { $0.name.hasPrefix("ääää") }, "the ledger keeps the name: \(refused.map(\.name))")
        let again = try ProcessRunner.run(HafenBinary.path, ["run", "--once", "-c", dir.file("hafen.yaml")], in: dir.path, environment: environment)
        #expect(try ledger.files(flow: "stock").count == 3, "refused once, not at every pass: \(again.stdout) \(again.stderr)")
        let status = try ProcessRunner.run(HafenBinary.path, ["status", "-c", dir.file("hafen.yaml")], in: dir.path)
        #expect(status.status == 0, "\(status.stderr)")
    }
}
