#if canImport(Glibc)
import Glibc
#endif

/// Where and how much memory the duplicate-key check may use.
public struct KeyOptions: Sendable {
    /// Directory for temporary spill files (created and unlinked at once).
    public var spillDirectory: String
    /// Bytes of key fingerprints (32 per row and constraint) held in memory before spilling to disk.
    public var memoryBudget: Int

    public init(spillDirectory: String = KeyOptions.defaultSpillDirectory, memoryBudget: Int = 16 << 20) {
        self.spillDirectory = spillDirectory
        self.memoryBudget = memoryBudget
    }

    /// `$TMPDIR`, or `/tmp`.
    public static var defaultSpillDirectory: String {
        if let dir = getenvString("TMPDIR"), !dir.isEmpty { return dir }
        return "/tmp"
    }
}

private func getenvString(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
}
