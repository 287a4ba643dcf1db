import Foundation

/// A fresh directory under the system's temporary folder, removed when released.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(_ label: String = "hafen") throws {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// `path/relative`, with parent directories created.
    public func file(_ relative: String) -> String {
        let full = "\(path)/\(relative)"
        try? FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        return full
    }

    /// Writes text (UTF-8) or bytes to `relative` and returns the full path.
    @discardableResult
    public func write(_ text: String, to relative: String) throws -> String {
        try write(Array(text.utf8), to: relative)
    }

    @discardableResult
    public func write(_ bytes: [UInt8], to relative: String) throws -> String {
        let full = file(relative)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    /// Names in a subdirectory, sorted; empty if it does not exist.
    public func list(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(path)/\(relative)")) ?? []).sorted()
    }

    public func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: "\(path)/\(relative)")
    }

    public func read(_ relative: String) throws -> String {
        try String(contentsOfFile: "\(path)/\(relative)", encoding: .utf8)
    }
}
