import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The file a test server writes its port to once it listens (`--port-file`, the password SFTP
/// server's `port`).
public enum PortFile {
    /// Polls until the file holds a port number, the time is up, or `alive` turns false.
    public static func wait(_ path: String, seconds: Double, while alive: () -> Bool) -> Int? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, alive() {
            if let port = (try? String(contentsOfFile: path, encoding: .utf8)).flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
                return port
            }
            usleep(20_000)
        }
        return nil
    }
}
