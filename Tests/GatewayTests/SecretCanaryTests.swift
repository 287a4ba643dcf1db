import Crypto
import Foundation
import HTTP
import HTTPTypes
import HafenTesting
import Testing

/// Every secret Hafen is given is set to a unique canary; the gateway then runs the demo's
/// flows through the real binary, including failures (a file with errors, a shop refusing a
/// wrong token, a partner refusing a wrong password, forged webhooks). No log line, receipt,
/// error report, ledger byte, archived or outbox file, or HTTP answer may hold a canary.
@Suite(.enabled(if: SharedFolder.testsEnabled, "../shared is absent; set HAFEN_SHARED or run in CI"))
struct SecretCanaryTests {
    static let token = "shpat_CANARYtoken4f1c9e"
    static let wrongToken = "shpat_CANARYwrong0b7d2a"
    static let hmacSecret = "CANARYhmacSecret93ae51"
    static let password = "CANARYpassword7c21f0"
    static let wrongPassword = "CANARYwrongPassword55d8"
    static let passphrase = "CANARYpassphrase1e6b3d"
    static let wrongPassphrase = "CANARYwrongPhrase8a04c7"
    static let canaries = [token, wrongToken, hmacSecret, password, wrongPassword, passphrase, wrongPassphrase]

    /// The canaries found in `text` (also a fragment of eight or more characters of one).
    static func leaks(in text: String) -> [String] {
        canaries.filter { canary in text.contains(canary) || text.contains(String(canary.dropFirst(6).prefix(12))) }
    }

    /// - Parameter except: files that hold a secret on purpose (a token file the configuration names).
    static func leaks(inFilesUnder root: String, except: Set<String> = []) -> [String] {
        var found: [String] = []
        for relative in FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [] where !except.contains(relative) {
            let path = root + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let data = FileManager.default.contents(atPath: path) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            for canary in leaks(in: text) { found.append("\(relative): \(canary)") }
        }
        return found
    }

    @Test func noSecretAppearsInAnyLogReceiptReportLedgerFileOrAnswer() async throws {
        let simulator = try SimulatorProcess(token: Self.token)
        let sftp = try PasswordSFTPServer(password: Self.password)
        try FileManager.default.createDirectory(atPath: sftp.root + "/out/stock", withIntermediateDirectories: true)
        try Data(PartnerHarness.stockFile.utf8).write(to: URL(fileURLWithPath: sftp.root + "/out/stock/bestand.csv"))
        let port = DaemonProcess.freePort()
        let remoteFlow = """
              remote:
                source: sftp://erp/out/stock/*.csv
                schema: schemas/stock.schema.json
                dialect: {delimiter: ";", encoding: windows-1252}
                settle: 0s
            """
        let h = try GatewayHarness(
            extraStock: ShopPushTests.stockMap + "\n    shops: [main, b2b]\n" + remoteFlow,
            extraProducts: ShopPushTests.productsMap + "\n    shops: [main]\n",
            top: """
                server:
                  listen: 127.0.0.1:\(port)
                shops:
                  main:
                    store: \(simulator.store)
                    token: env:HAFEN_CANARY_TOKEN
                    webhook_secret: env:HAFEN_CANARY_HMAC
                  b2b:
                    store: \(simulator.store)
                    token: env:HAFEN_CANARY_WRONG_TOKEN
                partners:
                  erp:
                    host: 127.0.0.1
                    port: \(sftp.port)
                    user: \(sftp.user)
                    password: env:HAFEN_CANARY_PASSWORD
                    known_hosts: \(sftp.knownHosts)
                    directory: \(sftp.root)
                    timeout: 5s
                """)
        var environment = [
            "HAFEN_CANARY_TOKEN": Self.token, "HAFEN_CANARY_WRONG_TOKEN": Self.wrongToken, "HAFEN_CANARY_HMAC": Self.hmacSecret,
            "HAFEN_CANARY_PASSWORD": Self.password,
        ]
        var outputs: [String] = []
        func run(_ arguments: [String]) throws {
            let result = try h.hafen(arguments + ["--log-level", "debug"], environment: environment)
            outputs.append("$ hafen \(arguments.joined(separator: " "))\n\(result.stdout)\n\(result.stderr)")
        }
        try h.drop(sample: "products-20261122.csv", into: "products")
        try h.drop(sample: "products-with-errors.csv", into: "products")
        try h.drop(sample: "stock-with-errors.csv", into: "stock")
        try run(["run", "--once"])
        // The partner refuses a wrong password; the shop b2b refused its wrong token above.
        try Data(PartnerHarness.stockFile.utf8).write(to: URL(fileURLWithPath: sftp.root + "/out/stock/bestand-2.csv"))
        environment["HAFEN_CANARY_PASSWORD"] = Self.wrongPassword
        try run(["run", "--once"])
        environment["HAFEN_CANARY_PASSWORD"] = Self.password
        for command in [["status"], ["files", "--json"], ["show", "1"], ["show", "2", "--json"], ["transfers"],
                        ["validate", SharedFolder.projectRoot + "/samples/products-with-errors.csv", "--flow", "products"],
                        ["plan", SharedFolder.projectRoot + "/samples/products-20261122.csv", "--flow", "products"]] {
            try run(command)
        }

        // The daemon, with webhooks: forged, unsigned and signed deliveries.
        let daemon = try DaemonProcess(configPath: h.configPath, in: h.dir.path, environment: environment, logLevel: "debug")
        var answers: [String] = []
        #expect(try await WebhookTests.eventually { daemon.log.contains("listening") }, "\(daemon.log)")
        let body = #"{"admin_graphql_api_id": "gid://shopify/Order/1", "id": 1}"#
        for signature in [nil, "forged", WebhookTests.signature(body, secret: Self.hmacSecret)] {
            var headers = ["X-Shopify-Topic": "orders/paid", "X-Shopify-Webhook-Id": UUID().uuidString, "Content-Type": "application/json"]
            if let signature { headers["X-Shopify-Hmac-Sha256"] = signature }
            let (status, text) = try await WebhookTests.post(port: port, body: body, headers: headers)
            answers.append("\(status) \(text)")
        }
        #expect(answers.first?.hasPrefix("401") == true && answers.last?.hasPrefix("200") == true, "\(answers)")
        try await Task.sleep(for: .milliseconds(500))
        let daemonLog = daemon.log
        withExtendedLifetime(daemon) {}

        let everything = outputs.joined(separator: "\n") + daemonLog + answers.joined(separator: "\n")
        #expect(everything.contains("refused the login"), "the wrong password was tried: \(outputs[1].suffix(1500))")
        #expect(Self.leaks(in: everything).isEmpty, "in the output: \(Self.leaks(in: everything))")
        let inFiles = Self.leaks(inFilesUnder: h.dir.path)
        #expect(inFiles.isEmpty, "in files: \(inFiles)")
        #expect(h.dir.list("failed").contains("products-with-errors.csv.error.txt"))
        withExtendedLifetime((simulator, sftp)) {}
    }

    /// Order exports delivered to a partner whose key has a passphrase: a run with the right
    /// passphrase, one with a wrong passphrase, one with a wrong shop token, and the commands an
    /// admin would use to see what happened. The token file is the one place the token may be.
    @Test func noKeyPassphraseOrTokenLeaksFromOrderExportsToAPartner() async throws {
        let simulator = try SimulatorProcess(token: Self.token)
        let server = try SSHServer()
        let key = try server.makeKey("locked_key", passphrase: Self.passphrase)
        try server.authorize(publicKey: key + ".pub")
        let partner = """
            partners:
              erp:
                host: 127.0.0.1
                port: \(server.port)
                user: \(server.user)
                key: file:\(key)
                passphrase: env:HAFEN_CANARY_PASSPHRASE
                known_hosts: \(server.knownHosts)
                directory: \(server.root)
                timeout: 5s
            """
        let h = try ExportHarness(top: partner, simulator: simulator, target: "sftp://erp/in/orders")
        try await h.seed("[\(ExportHarness.paidOrder), \(ExportHarness.paidOrder)]")
        var outputs: [String] = []
        func run(_ arguments: [String], passphrase: String = Self.passphrase) throws -> ProcessResult {
            let result = try h.hafen(arguments + ["--log-level", "debug"], environment: ["HAFEN_CANARY_PASSPHRASE": passphrase])
            outputs.append("$ hafen \(arguments.joined(separator: " "))\n\(result.stdout)\n\(result.stderr)")
            return result
        }
        // The files are written to the outbox; their delivery waits for a key that opens.
        let refused = try run(["export", "orders"], passphrase: Self.wrongPassphrase)
        #expect(refused.stderr.contains("could not be read or decrypted"), "a wrong passphrase cannot open the key: \(refused.stderr)")
        let waiting = try run(["transfers", "--retry"], passphrase: Self.wrongPassphrase)
        #expect(waiting.status == 1 && waiting.stdout.contains("2 still waiting"), "\(waiting.stdout) \(waiting.stderr)")
        let delivered = try run(["transfers", "--retry"])
        #expect(delivered.stdout.contains("2 delivered now"), "\(delivered.stdout) \(delivered.stderr)")
        try await h.seed("[\(ExportHarness.paidOrder)]")
        try h.dir.write(Self.wrongToken + "\n", to: "shop.token")
        let wrong = try run(["export", "orders"])
        #expect(wrong.status != 0, "the shop refuses a wrong token: \(wrong.stdout) \(wrong.stderr)")
        try h.dir.write(Self.token + "\n", to: "shop.token")
        _ = try run(["export", "orders"])
        for command in [["status"], ["transfers"], ["files", "--json"], ["reexport", "1001"]] { _ = try run(command) }
        #expect(FileManager.default.fileExists(atPath: server.root + "/in/orders/orders_1003_original.csv"), "\(outputs.joined(separator: "\n"))")

        let everything = outputs.joined(separator: "\n")
        #expect(Self.leaks(in: everything).isEmpty, "in the output: \(Self.leaks(in: everything))")
        let inFiles = Self.leaks(inFilesUnder: h.dir.path, except: ["shop.token"]) + Self.leaks(inFilesUnder: server.root)
        #expect(inFiles.isEmpty, "in files: \(inFiles)")
    }
}
