import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback port that takes TCP connections (into the kernel's backlog) and never says a
/// word: a server that hangs, to prove a client's timeouts. Closed when released.
public final class SilentListener: @unchecked Sendable {
    public let port: Int
    private let descriptor: Int32

    public init() throws {
        (descriptor, port) = try LoopbackListener.open()
    }

    deinit {
        close(descriptor)
    }
}
