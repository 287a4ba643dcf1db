import Foundation
import SFTP

extension SFTPClient {
    /// Makes a remote folder and the missing ones above it (`in/orders` on a new server).
    func makeDirectories(_ folder: String) throws {
        guard !folder.isEmpty, folder != "/", !(try exists(folder)) else { return }
        try makeDirectories((folder as NSString).deletingLastPathComponent)
        try makeDirectory(folder)
    }
}
