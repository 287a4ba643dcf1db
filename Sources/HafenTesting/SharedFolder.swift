import Foundation

/// `../shared` beside the project: the real Shopify schema, corpora and tools.
///
/// On a user's machine it may be absent, and tests that need it are skipped with a message.
/// Under CI (`CI=true`) they always run, so a missing folder fails them instead of hiding them.
public enum SharedFolder {
    /// The package's root directory (where Package.swift is).
    public static let projectRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static let path: String = {
        if let override = ProcessInfo.processInfo.environment["HAFEN_SHARED"] { return override }
        return URL(fileURLWithPath: projectRoot).deletingLastPathComponent().appendingPathComponent("shared").path
    }()

    public static var isPresent: Bool { FileManager.default.fileExists(atPath: path + "/corpus") }

    /// True where tests that read `../shared` should run: it is there, or we are in CI.
    public static var testsEnabled: Bool { isPresent || isCI }

    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Full path of a file below `../shared`.
    public static func file(_ relative: String) -> String { "\(path)/\(relative)" }

    public static let skipMessage = "../shared is absent; set HAFEN_SHARED or run in CI"
}

/// Comment type shared with Swift Testing traits without importing Testing here.


