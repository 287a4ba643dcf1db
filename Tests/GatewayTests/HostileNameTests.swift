import Foundation
import Gateway
import HafenTesting
import Ledger
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Names an attacker or a careless export would write: a line break, a leading dash, bytes that
/// are not UTF-8, a backslash, a name that looks like a path. Each file is refused without
/// being read, named safely in `failed/` and in the ledger, and nothing else is touched.
@Suite struct HostileNameTests {
    /// Creates a file whose name is the raw `bytes` (FileManager takes only valid strings).
    static func create(_ bytes: [UInt8], in directory: String, content: String) throws {
        let path = Array(directory.utf8) + [UInt8(ascii: "/")] + bytes + [0]
        let fd = path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o644) }
        }
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        _ = Array(content.utf8).withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        close(fd)
    }

    @Test func refusesHostileNamesAndReportsThemUnderSafeNames() async throws {
        let h = try GatewayHarness()
        let inbox = h.dir.file("inbox/stock")
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let content = "Artikelnummer;Lager;Bestand;Reserviert;Stand\r\nA-1;HAUPT;5;0;01.01.2026 10:00\r\n"
        let names: [[UInt8]] = [
            Array("zeile\numbruch.csv".utf8),          // a line break
            Array("-rf.csv".utf8),                     // read as an option by shell tools
            [0x66, 0xFF, 0xFE, 0x2E, 0x63, 0x73, 0x76], // "f\xFF\xFE.csv", not UTF-8
            Array("ordner\\..\\passwd.csv".utf8),      // a Windows path
            Array("tab\there.csv".utf8),
        ]
        for name in names { try Self.create(name, in: inbox, content: content) }
        // A hidden name is a file still being written, by convention: it is left alone.
        try Self.create(Array("..\\..\\etc\\passwd.csv".utf8), in: inbox, content: content)
        let gateway = try h.gateway()
        await gateway.scanOnce()
        let finished = await gateway.scanOnce().finished
        #expect(finished.count == names.count, "\(finished.map(\.name))")
        #expect(finished.allSatisfy { $0.state == .failed }, "\(finished.map { "\($0.name) \($0.state)" })")
        #expect(h.dir.list("inbox/stock") == ["..\\..\\etc\\passwd.csv"], "every other file left the inbox")
        let failed = h.dir.list("failed")
        #expect(failed.count == names.count * 3, "file, report and receipt each: \(failed)")
        for name in failed {
            #expect(!name.hasPrefix("-") && !name.hasPrefix("."), "\(name)")
            #expect(!name.contains("\n") && !name.contains("\t") && !name.contains("\\"), "\(name)")
            #expect(name.utf8.allSatisfy { $0 >= 0x20 }, "\(name)")
        }
        let reports = try failed.filter { $0.hasSuffix(".error.txt") }.map { try h.dir.read("failed/\($0)") }.joined()
        #expect(reports.components(separatedBy: "[HT503]").count - 1 == names.count, "\(reports.prefix(1200))")
        #expect(!reports.contains("\u{FFFD}") || reports.contains("\\xFF"), "a byte that is not UTF-8 is shown escaped")
        #expect(gateway.stuck.isEmpty)
    }
}
