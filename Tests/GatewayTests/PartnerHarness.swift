import Foundation
import Gateway
import HafenTesting
import Ledger
import Logging

/// A gateway folder whose `stock` flow fetches from a real OpenSSH server (partner `erp`),
/// beside a local flow `local`, both reading stock files and settling at once.
final class PartnerHarness {
    let server: SSHServer
    let dir: TemporaryDirectory
    static let stockHeader = "Artikelnummer;Lager;Bestand;Reserviert;Stand\r\n"
    static let stockFile = stockHeader + "A-1;HAUPT;5;0;01.01.2026 10:00\r\n"

    /// A flow `name` under `flows:` taking the partner's stock files at once and deleting them
    /// from its server once taken.
    static func stockFlow(_ name: String) -> String {
        """
          \(name):
            source: sftp://erp/out/stock/*.csv
            schema: schemas/stock.schema.json
            dialect: {delimiter: ";", encoding: windows-1252}
            settle: 0s
            after_pickup: delete
        """
    }

    /// - Parameters:
    ///   - flow: lines added to the stock flow's settings (indented four spaces).
    ///   - partner: lines added to the partner's settings (indented four spaces); replaces the
    ///     known_hosts line when it names `host_key`.
    ///   - port: where the gateway connects (a proxy in front of the server).
    init(flow: String = "", partner: String = "", port: Int? = nil, server: SSHServer? = nil) throws {
        self.server = try server ?? SSHServer()
        dir = try TemporaryDirectory("partner")
        try FileManager.default.copyItem(atPath: SharedFolder.projectRoot + "/schemas/stock.schema.json", toPath: dir.file("schemas/stock.schema.json"))
        try FileManager.default.createDirectory(atPath: self.server.root + "/out/stock", withIntermediateDirectories: true)
        let trust = partner.contains("host_key:") ? "" : "    known_hosts: \(self.server.knownHosts)\n"
        _ = try dir.write(
            """
            partners:
              erp:
                host: 127.0.0.1
                port: \(port ?? self.server.port)
                user: \(self.server.user)
                key: file:\(self.server.clientKey)
                directory: \(self.server.root)
                timeout: 20s
            \(trust)\(partner)
            flows:
              stock:
                source: sftp://erp/out/stock/*.csv
                schema: schemas/stock.schema.json
                dialect: {delimiter: ";", encoding: windows-1252}
            \(flow.contains("done_marker") ? "" : "    settle: 0s")
                on_error: skip-rows
            \(flow)
              local:
                source: inbox/local/*.csv
                schema: schemas/stock.schema.json
                dialect: {delimiter: ";", encoding: windows-1252}
                settle: 0s
            """, to: "hafen.yaml")
    }

    func config() throws -> GatewayConfig { try ConfigLoader.load(path: dir.file("hafen.yaml")) }

    func gateway() throws -> Gateway {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try Gateway(config: config(), logger: logger)
    }

    func ledger() throws -> Ledger { try Ledger(path: dir.file(".hafen/ledger.sqlite")) }

    /// Puts a file on the server below its root (`out/stock/a.csv`).
    @discardableResult
    func put(_ text: String, at relative: String) throws -> String {
        let path = server.root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Names in a folder on the server (hidden ones too).
    func remote(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: server.root + "/" + relative)) ?? []).sorted()
    }

    func remoteExists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: server.root + "/" + relative) }

    func readRemote(_ relative: String) throws -> String { try String(contentsOfFile: server.root + "/" + relative, encoding: .utf8) }

    /// Runs passes until `count` files were finished or `passes` ran out.
    @discardableResult
    func scan(_ gateway: Gateway, passes: Int = 2) async -> [FileEntry] {
        var finished: [FileEntry] = []
        for _ in 0..<passes { finished += await gateway.scanOnce().finished }
        return finished
    }

    /// Runs the built `hafen` binary in the folder.
    func hafen(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        try ProcessRunner.run(HafenBinary.path, arguments + ["-c", dir.file("hafen.yaml")], in: dir.path, environment: environment)
    }
}

extension PartnerHarness {
    /// Lower-case hex SHA-256 of bytes (what the ledger records).
    static func sha256Hex(_ bytes: [UInt8]) throws -> String {
        let dir = try TemporaryDirectory("sha")
        return try Gateway.checksum(ofFile: try dir.write(bytes, to: "x"))
    }
}
