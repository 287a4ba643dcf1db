import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on a loopback port in front of another local port that can cut connections
/// mid-transfer (RELIABILITY F9/F10): the n-th connection is closed after a set number of
/// bytes came from the server, as a network that drops in the middle of a download would.
public final class CuttingProxy: Sendable {
    public let port: Int
    private let listener: Int32
    private let target: Int
    /// Per connection, in order: cut after this many bytes from the server (nil: never).
    private let plan: Mutex<(cuts: [Int64?], accepted: Int, stopped: Bool)>

    /// - Parameter cuts: one entry per connection in the order they come; later connections
    ///   pass untouched.
    public init(to targetPort: Int, cuts: [Int64?]) throws {
        (listener, port) = try LoopbackListener.open()
        target = targetPort
        plan = Mutex((cuts, 0, false))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// How many connections came so far.
    public var connections: Int { plan.withLock { $0.accepted } }

    /// Stops taking connections (open ones run on until either side closes).
    public func stop() {
        plan.withLock { $0.stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    deinit {
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if plan.withLock({ $0.stopped }) { return }
                if errno == EINTR { continue }
                return
            }
            let cut = plan.withLock { state -> Int64? in
                defer { state.accepted += 1 }
                return state.accepted < state.cuts.count ? state.cuts[state.accepted] : nil
            }
            guard let server = connectTarget() else {
                close(client)
                continue
            }
            let thread = Thread { Self.pump(client: client, server: server, cutAfter: cut) }
            thread.start()
        }
    }

    private func connectTarget() -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(target).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        if connected { return fd }
        close(fd)
        return nil
    }

    /// Copies both ways until one side closes or the server has sent `cutAfter` bytes.
    private static func pump(client: Int32, server: Int32, cutAfter: Int64?) {
        defer {
            close(client)
            close(server)
        }
        var fromServer: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var fds = [pollfd(fd: client, events: Int16(POLLIN), revents: 0), pollfd(fd: server, events: Int16(POLLIN), revents: 0)]
        while true {
            guard poll(&fds, 2, 30_000) > 0 else { return }
            for index in 0..<2 where fds[index].revents != 0 {
                let from = fds[index].fd
                let to = index == 0 ? server : client
                var allowed = buffer.count
                if index == 1, let cutAfter { allowed = Int(min(Int64(allowed), max(0, cutAfter - fromServer))) }
                if allowed == 0 { return }
                let count = buffer.withUnsafeMutableBytes { read(from, $0.baseAddress, allowed) }
                if count <= 0 { return }
                var sent = 0
                while sent < count {
                    // MSG_NOSIGNAL: a peer that hung up ends this copy, not the test process (SIGPIPE).
                    let written = buffer.withUnsafeBytes { send(to, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL)) }
                    if written <= 0 { return }
                    sent += written
                }
                if index == 1 {
                    fromServer += Int64(count)
                    if let cutAfter, fromServer >= cutAfter { return }
                }
            }
        }
    }
}
