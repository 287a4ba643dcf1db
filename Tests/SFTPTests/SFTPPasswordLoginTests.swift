import Foundation
import HafenTesting
import SFTP
import Testing

/// Password logins against a real SSH server other than OpenSSH (asyncssh, see
/// `PasswordSFTPServer`): the `password` method, keyboard-interactive prompts as PAM-backed
/// servers send them, and a wrong password refused without the password in the message.
@Suite(.serialized) struct SFTPPasswordLoginTests {
    @Test func logsInWithAPasswordAndTransfersFiles() async throws {
        let server = try PasswordSFTPServer(password: "Sommer 2026!")
        let client = SFTPClient(endpoint: server.endpoint())
        let payload = Array(repeating: UInt8(ascii: "x"), count: 300_000)
        let local = try server.directory.write(payload, to: "local.bin")
        #expect(try await client.upload(local, to: server.root + "/.batch.part") == 300_000)
        try await client.rename(server.root + "/.batch.part", to: server.root + "/batch.csv")
        #expect(try await client.list(server.root).map(\.name) == ["batch.csv"])
        let copy = server.directory.file("copy.bin")
        #expect(try await client.download(server.root + "/batch.csv", to: copy) == 300_000)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: copy))) == payload)
    }

    @Test func answersKeyboardInteractivePromptsWithThePassword() async throws {
        let server = try PasswordSFTPServer(password: "äöü-geheim", method: .keyboardInteractive)
        _ = try server.directory.write("sku;qty\n", to: "root/stock.csv")
        let client = SFTPClient(endpoint: server.endpoint())
        #expect(try await client.list(server.root).map(\.name) == ["stock.csv"])
    }

    @Test(arguments: [PasswordSFTPServer.Method.password, .keyboardInteractive])
    func refusesAWrongPasswordWithoutShowingIt(method: PasswordSFTPServer.Method) async throws {
        let server = try PasswordSFTPServer(password: "richtig", method: method)
        let refused = await #expect(throws: SFTPError.self) {
            try await SFTPClient(endpoint: server.endpoint(password: "falsch-42")).connect()
        }
        #expect(refused?.kind == .authentication)
        #expect(refused?.message.contains("refused the login with password") == true, "\(String(describing: refused))")
        #expect(refused?.message.contains("the server offers: \(method.rawValue)") == true, "\(String(describing: refused))")
        #expect(refused?.message.contains("falsch-42") == false)
        #expect(refused?.isTransient == false)
    }
}
