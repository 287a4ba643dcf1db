import Foundation
import HafenTesting
import SFTP
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The SFTP client against a real OpenSSH server on loopback: transfers byte for byte, host-key
/// checks (known_hosts plain and hashed, pinned fingerprints, unknown and changed keys), key
/// logins (ed25519, RSA with a passphrase), no overwriting, timeouts and reconnects.
@Suite(.serialized) struct SFTPClientTests {
    static func bytes(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    @Test func uploadsListsDownloadsRenamesAndRemovesByteForByte() async throws {
        let server = try SSHServer()
        let client = SFTPClient(endpoint: server.endpoint())
        let payload = Self.bytes(3_000_000)
        let local = try server.directory.write(payload, to: "local.bin")
        try await client.makeDirectory(server.root + "/out")
        let sent = try await client.upload(local, to: server.root + "/out/.batch.part")
        #expect(sent == 3_000_000)
        try await client.rename(server.root + "/out/.batch.part", to: server.root + "/out/batch.bin")
        let listing = try await client.list(server.root + "/out")
        #expect(listing.map(\.name) == ["batch.bin"])
        #expect(listing.first?.kind == .file && listing.first?.size == 3_000_000)
        #expect(try await client.stat(server.root + "/out").kind == .directory)

        let copy = server.directory.file("copy.bin")
        let seen = ByteCounter()
        let size = try await client.download(server.root + "/out/batch.bin", to: copy) { seen.add($0.count) }
        #expect(size == 3_000_000 && seen.total == 3_000_000)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: copy))) == payload)

        try await client.remove(server.root + "/out/batch.bin")
        #expect(try await client.exists(server.root + "/out/batch.bin") == false)
        try await client.removeDirectory(server.root + "/out")
    }

    @Test func continuesADownloadFromWhereTheLocalFileEnds() async throws {
        let server = try SSHServer()
        let client = SFTPClient(endpoint: server.endpoint())
        let payload = Self.bytes(1_500_000, seed: 7)
        _ = try server.directory.write(payload, to: "root/big.bin")
        // A local file holding the first 600,000 bytes and some garbage after them.
        let local = try server.directory.write(Array(payload[0..<600_000]) + [1, 2, 3], to: "partial.bin")
        let size = try await client.download(server.root + "/big.bin", to: local, from: 600_000)
        #expect(size == 1_500_000)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: local))) == payload)
    }

    @Test func neverOverwritesWhenUploadingOrRenaming() async throws {
        let server = try SSHServer()
        let client = SFTPClient(endpoint: server.endpoint())
        _ = try server.directory.write("old", to: "root/receipt.txt")
        _ = try server.directory.write("other", to: "root/other.txt")
        let local = try server.directory.write("new", to: "new.txt")
        await #expect(throws: SFTPError.self) { try await client.upload(local, to: server.root + "/receipt.txt") }
        let refused = await #expect(throws: SFTPError.self) { try await client.rename(server.root + "/other.txt", to: server.root + "/receipt.txt") }
        #expect(refused?.message.contains("cannot rename") == true, "\(String(describing: refused))")
        #expect(try server.directory.read("root/receipt.txt") == "old")
        let missing = await #expect(throws: SFTPError.self) { try await client.stat(server.root + "/nothing.txt") }
        #expect(missing?.kind == .server(status: 2) && missing?.message.contains("no such file") == true)
    }

    @Test func refusesAnUnknownHostKeyShowingItsFingerprintAndHowToTrustIt() async throws {
        let server = try SSHServer()
        try "".write(toFile: server.knownHosts, atomically: true, encoding: .utf8)
        let error = await #expect(throws: SFTPError.self) { try await SFTPClient(endpoint: server.endpoint()).connect() }
        let fingerprint = try server.fingerprint
        #expect(error?.kind == .hostKey)
        #expect(error?.message.contains("is not known") == true)
        #expect(error?.message.contains(fingerprint) == true, "\(String(describing: error)) should show \(fingerprint)")
        #expect(error?.message.contains("ssh-keyscan") == true)
    }

    @Test func refusesAChangedHostKey() async throws {
        let server = try SSHServer()
        try await SFTPClient(endpoint: server.endpoint()).connect()
        try server.rotateHostKey()
        let error = await #expect(throws: SFTPError.self) { try await SFTPClient(endpoint: server.endpoint()).connect() }
        #expect(error?.kind == .hostKey)
        #expect(error?.message.contains("HAS CHANGED") == true, "\(String(describing: error))")
        #expect(error?.message.contains(try server.fingerprint) == true)
    }

    @Test func acceptsAHashedKnownHostsFileAndAPinnedFingerprint() async throws {
        let server = try SSHServer()
        _ = try SSHServer.run("/usr/bin/ssh-keygen", ["-H", "-f", server.knownHosts])
        #expect(try String(contentsOfFile: server.knownHosts, encoding: .utf8).hasPrefix("|1|"))
        try await SFTPClient(endpoint: server.endpoint()).connect()

        let pinned = try server.fingerprint
        try await SFTPClient(endpoint: server.endpoint(hostKey: .fingerprint(pinned))).connect()
        try await SFTPClient(endpoint: server.endpoint(hostKey: .fingerprint(String(pinned.dropFirst(7)) + "="))).connect()
        let wrong = await #expect(throws: SFTPError.self) {
            try await SFTPClient(endpoint: server.endpoint(hostKey: .fingerprint("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))).connect()
        }
        #expect(wrong?.kind == .hostKey && wrong?.message.contains(pinned) == true)
    }

    @Test func logsInWithAKeyAndItsPassphraseAndRefusesWrongKeys() async throws {
        let server = try SSHServer()
        let locked = try server.makeKey("locked_key", passphrase: "geheim 123")
        try server.authorize(publicKey: locked + ".pub")
        let client = SFTPClient(endpoint: server.endpoint(authentication: .key(path: locked, passphrase: "geheim 123")))
        #expect(try await client.list(server.root).isEmpty)

        let badPassphrase = await #expect(throws: SFTPError.self) {
            try await SFTPClient(endpoint: server.endpoint(authentication: .key(path: locked, passphrase: "falsch"))).connect()
        }
        #expect(badPassphrase?.kind == .authentication)
        #expect(badPassphrase?.message.contains("passphrase") == true && badPassphrase?.message.contains("falsch") == false)

        let stranger = try server.makeKey("stranger")
        let refused = await #expect(throws: SFTPError.self) {
            try await SFTPClient(endpoint: server.endpoint(authentication: .key(path: stranger, passphrase: nil))).connect()
        }
        #expect(refused?.kind == .authentication)
        #expect(refused?.message.contains("refused the login") == true, "\(String(describing: refused))")
    }

    /// libssh2 1.10 signs RSA keys only with SHA-1: a partner whose OpenSSH still accepts that
    /// takes the key (and its passphrase); a current OpenSSH refuses, and the message says why.
    @Test func logsInWithAnRSAKeyWhereTheServerStillAcceptsSSHRSA() async throws {
        let legacy = try SSHServer(options: ["PubkeyAcceptedAlgorithms +ssh-rsa"])
        let rsa = try legacy.makeKey("rsa_key", type: "rsa", passphrase: "geheim 123")
        try legacy.authorize(publicKey: rsa + ".pub")
        #expect(try await SFTPClient(endpoint: legacy.endpoint(authentication: .key(path: rsa, passphrase: "geheim 123"))).list(legacy.root).isEmpty)

        let current = try SSHServer()
        try current.authorize(publicKey: rsa + ".pub")
        let refused = await #expect(throws: SFTPError.self) {
            try await SFTPClient(endpoint: current.endpoint(authentication: .key(path: rsa, passphrase: "geheim 123"))).connect()
        }
        #expect(refused?.kind == .authentication && refused?.message.contains("ed25519") == true, "\(String(describing: refused))")
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let silent = try SilentListener()
        let endpoint = SFTPEndpoint(
            host: "127.0.0.1", port: silent.port, user: "nobody",
            authentication: .password("x"), hostKey: .fingerprint("SHA256:x"), connectTimeout: .seconds(1), timeout: .seconds(1))
        let started = Date()
        let error = await #expect(throws: SFTPError.self) { try await SFTPClient(endpoint: endpoint).connect() }
        #expect(error?.isTransient == true, "\(String(describing: error))")
        #expect(Date().timeIntervalSince(started) < 20)
    }

    @Test func reconnectsAfterTheConnectionWasDropped() async throws {
        let server = try SSHServer()
        let client = SFTPClient(endpoint: server.endpoint())
        _ = try server.directory.write("x", to: "root/a.txt")
        #expect(try await client.list(server.root).count == 1)
        server.dropConnections()
        try await Task.sleep(for: .milliseconds(200))
        let dropped = await #expect(throws: SFTPError.self) { try await client.list(server.root) }
        #expect(dropped?.isTransient == true, "\(String(describing: dropped))")
        #expect(await client.isConnected == false)
        #expect(try await client.list(server.root).count == 1)
    }

    @Test func refusesAClosedPortQuickly() async throws {
        let endpoint = SFTPEndpoint(
            host: "127.0.0.1", port: DaemonProcess.freePort(), user: "nobody", authentication: .password("x"), hostKey: .fingerprint("SHA256:x"))
        let error = await #expect(throws: SFTPError.self) { try await SFTPClient(endpoint: endpoint).connect() }
        #expect(error?.kind == .connect && error?.message.contains("refused") == true, "\(String(describing: error))")
    }
}

/// Counts bytes handed to a download's observer (from the client's thread).
final class ByteCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add(_ bytes: Int) { lock.withLock { count += bytes } }
    var total: Int { lock.withLock { count } }
}
