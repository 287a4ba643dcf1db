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
              stock:
                source: sftp://erp/out/stock/*.csv
                schema: schemas/stock.schema.json
                dialect: {delimiter: ";", encoding: windows-1252}
                settle: 0s
                after_pickup: delete
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
}
