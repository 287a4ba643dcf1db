import Foundation
import HTTP
import HTTPTypes
import HafenTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The webhook port faces the internet: idle and slow connections, large and unsigned bodies,
/// and many uploads at once neither exhaust the daemon's descriptors or memory nor stop it
/// answering `/health`.
@Suite struct WebhookPortLimitTests {
    /// A plain TCP connection to the daemon, written and read byte by byte as a hostile client would.
    final class RawConnection {
        let fd: Int32

        init?(port: Int) {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                close(fd)
                return nil
            }
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(fd) }

        func send(_ text: String) {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
        }

        /// What the server sends until it closes or 10 s pass; nil if it sent nothing.
        func answer() -> String? {
            var data: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
                if n <= 0 { break }
                data += buffer[0..<n]
                if let text = String(bytes: data, encoding: .utf8), text.contains("\r\n\r\n"), text.hasSuffix("\n") { break }
            }
            return data.isEmpty ? nil : String(decoding: data, as: UTF8.self)
        }

        /// Whether the server closed the connection (a read returns 0 within 20 s: two reads of
        /// 10 s each, so a loaded machine's late close still counts).
        func isClosedByServer() -> Bool {
            var byte: UInt8 = 0
            for _ in 0..<2 {
                let n = recv(fd, &byte, 1, 0)
                if n == 0 { return true }
                if n > 0 || (errno != EAGAIN && errno != EWOULDBLOCK) { return false }
            }
            return false
        }
    }

    static func daemon(port: Int, server: String) throws -> (ExportHarness, DaemonProcess) {
        let h = try ExportHarness(
            settings: "    poll: 1h", shopSettings: "    webhook_secret: env:HAFEN_TEST_WEBHOOK_SECRET",
            top: "server:\n  listen: 127.0.0.1:\(port)\n" + server)
        let daemon = try DaemonProcess(
            configPath: h.dir.file("hafen.yaml"), in: h.dir.path, environment: ["HAFEN_TEST_WEBHOOK_SECRET": WebhookTests.secret])
        return (h, daemon)
    }

    static func health(port: Int) async -> Int? {
        let request = HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:\(port)", path: "/health")
        return try? await HTTPClient(options: .init(timeout: .seconds(5))).send(request).head.status.code
    }

    static func openDescriptors(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }

    @Test func keepsAnsweringHealthWhileHundredsOfIdleConnectionsAreOpen() async throws {
        let port = DaemonProcess.freePort()
        let (h, daemon) = try Self.daemon(port: port, server: "  max_connections: 50\n  request_timeout: 1s\n")
        #expect(try await WebhookTests.eventually { daemon.log.contains("listening") }, "running: \(daemon.isRunning), log: \(daemon.log)")
        let before = Self.openDescriptors(daemon.pid)
        var idle: [RawConnection] = []
        for _ in 0..<200 { if let connection = RawConnection(port: port) { idle.append(connection) } }
        try #require(idle.count == 200)
        #expect(try await WebhookTests.eventually(15) { await Self.health(port: port) == 200 }, "\(daemon.log.suffix(2000))")
        #expect(Self.openDescriptors(daemon.pid) <= before + 55, "at most max_connections descriptors for clients")
        #expect(idle[0].isClosedByServer(), "an idle connection is closed after request_timeout")
        #expect(daemon.isRunning)
        #expect(!daemon.log.contains("Too many open files"))
        withExtendedLifetime(h) {}
    }

    @Test func refusesUnsignedAndOversizedBodiesWithoutWaitingForThem() async throws {
        let port = DaemonProcess.freePort()
        let (h, daemon) = try Self.daemon(port: port, server: "  max_body: 64KiB\n")
        #expect(try await WebhookTests.eventually { daemon.log.contains("listening") }, "running: \(daemon.isRunning), log: \(daemon.log)")
        let big = try #require(RawConnection(port: port))
        big.send("POST /webhooks/shopify HTTP/1.1\r\nHost: x\r\nX-Shopify-Hmac-Sha256: abc\r\nContent-Length: 10485760\r\n\r\n")
        let bigAnswer = try #require(big.answer(), "answered before the body was sent")
        #expect(bigAnswer.hasPrefix("HTTP/1.1 413"), "\(bigAnswer)")
        let unsigned = try #require(RawConnection(port: port))
        unsigned.send("POST /webhooks/shopify HTTP/1.1\r\nHost: x\r\nContent-Length: 4000000\r\n\r\n")
        let unsignedAnswer = try #require(unsigned.answer())
        #expect(unsignedAnswer.hasPrefix("HTTP/1.1 401"), "\(unsignedAnswer)")
        #expect(await Self.health(port: port) == 200)
        withExtendedLifetime(h) {}
    }

    @Test func answersBusyWhenTooManyBodiesAreInMemoryAndRecoversWhenTheyEnd() async throws {
        let port = DaemonProcess.freePort()
        // 16 KiB bodies: 32 of them (512 KiB) may be held at once. The stalled uploads hold the
        // budget until request_timeout: long enough for the probes below on a loaded machine.
        let (h, daemon) = try Self.daemon(port: port, server: "  max_body: 16KiB\n  request_timeout: 10s\n")
        #expect(try await WebhookTests.eventually { daemon.log.contains("listening") }, "running: \(daemon.isRunning), log: \(daemon.log)")
        var stalled: [RawConnection] = []
        for _ in 0..<32 {
            let connection = try #require(RawConnection(port: port))
            connection.send("POST /webhooks/shopify HTTP/1.1\r\nHost: x\r\nX-Shopify-Hmac-Sha256: abc\r\nContent-Length: 16384\r\n\r\nx")
            stalled.append(connection)
        }
        // Once the server has read all 32 heads, the budget is spent: a small request is answered busy.
        var busy = ""
        for _ in 0..<100 where !busy.hasPrefix("HTTP/1.1 503") {
            let late = try #require(RawConnection(port: port))
            late.send("POST /webhooks/shopify HTTP/1.1\r\nHost: x\r\nX-Shopify-Hmac-Sha256: abc\r\nContent-Length: 2\r\n\r\n{}")
            busy = late.answer() ?? ""
            if !busy.hasPrefix("HTTP/1.1 503") { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(busy.hasPrefix("HTTP/1.1 503"), "\(busy)")
        // The stalled uploads are cut off after request_timeout, and their budget comes back.
        #expect(stalled[0].isClosedByServer())
        let again = try #require(RawConnection(port: port))
        again.send("POST /webhooks/shopify HTTP/1.1\r\nHost: x\r\nX-Shopify-Hmac-Sha256: abc\r\nContent-Length: 2\r\n\r\n{}")
        let refused = try #require(again.answer())
        #expect(refused.hasPrefix("HTTP/1.1 401"), "a forged signature, now read and checked: \(refused)")
        #expect(daemon.isRunning)
        withExtendedLifetime(h) {}
    }
}
