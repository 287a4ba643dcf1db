#if canImport(Glibc)
import Glibc
#endif
public import Foundation

/// A failure of the gateway itself (not of a file's data): a stable code, what went wrong, what
/// to do about it, the underlying cause, and where in Hafen it was raised — so a log line or a
/// command's error says enough to act on without reading the code.
public struct GatewayError: Error, Sendable, CustomStringConvertible {
    /// A stable name for the kind of failure, for scripts and log searches.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// A flow the ledger or a command names is not in the configuration.
        public static let unknownFlow = Code(rawValue: "unknown-flow")
        /// A file, order, customer or shop asked for is not there.
        public static let notFound = Code(rawValue: "not-found")
        /// A file's state does not allow what was asked (reprocess a done file, approve one not held).
        public static let notReprocessable = Code(rawValue: "not-reprocessable")
        /// A file could not be moved between Hafen's folders.
        public static let cannotMove = Code(rawValue: "cannot-move")
        /// Another daemon holds the state folder's lock.
        public static let alreadyRunning = Code(rawValue: "already-running")

        public var description: String { rawValue }
    }

    /// Where the error was raised, as swift-nio's `FileSystemError` keeps it.
    public struct SourceLocation: Sendable, Hashable {
        public var file: String
        public var line: Int
    }

    public var code: Code
    /// What went wrong, in plain words.
    public var message: String
    /// What to do about it, when there is something to say.
    public var remedy: String?
    /// The error underneath (the system's, the ledger's).
    public var cause: (any Error & Sendable)?
    public var location: SourceLocation

    public init(
        _ code: Code, _ message: String, remedy: String? = nil, cause: (any Error & Sendable)? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.remedy = remedy
        self.cause = cause
        location = SourceLocation(file: file, line: line)
    }

    /// The message and, after a dash, the remedy.
    public var description: String {
        remedy.map { "\(message) — \($0)" } ?? message
    }

    public static func unknownFlow(_ name: String, file: String = #fileID, line: Int = #line) -> GatewayError {
        GatewayError(
            .unknownFlow, "no flow named \"\(name)\" in the configuration",
            remedy: nil, file: file, line: line)
    }

    public static func notFound(_ message: String, file: String = #fileID, line: Int = #line) -> GatewayError {
        GatewayError(.notFound, message, file: file, line: line)
    }

    public static func notReprocessable(_ message: String, file: String = #fileID, line: Int = #line) -> GatewayError {
        GatewayError(.notReprocessable, message, file: file, line: line)
    }

    public static func alreadyRunning(_ lock: String, file: String = #fileID, line: Int = #line) -> GatewayError {
        GatewayError(
            .alreadyRunning, "another Hafen daemon is running on this state folder (it holds \(lock)); stop it first", file: file, line: line)
    }

    /// `rename(2)` failed with the thread's `errno`: the system's reason is the cause, and
    /// nothing was lost (the file is still where it was).
    public static func cannotMove(
        _ what: String, from source: String, to destination: String, errno code: Int32 = errno, file: String = #fileID, line: Int = #line
    ) -> GatewayError {
        let cause = POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        return GatewayError(
            .cannotMove, "cannot move \(what) \(source) to \(destination): \(String(cString: strerror(code)))",
            remedy: "check that Hafen may write both folders and the disk has room; the file stays where it is and is moved at the next pass",
            cause: cause, file: file, line: line)
    }
}
