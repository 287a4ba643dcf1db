import Formats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Moves a local file to another folder, also to another filesystem (an archive on its own disk,
/// an inbox on a network share). On one filesystem it is one `rename(2)`. Across filesystems
/// (`EXDEV`) the file is copied into a hidden temporary name beside the destination, fsynced,
/// renamed into place, the folder fsynced, and only then is the source removed: a crash at any
/// moment leaves the file in at least one of the two places, never in none, and running the
/// move again finishes it.
public enum FileMove {
    /// - Parameter replacing: whether an existing file at `destination` may be replaced (placement
    ///   into a name chosen free, repeated after a crash); without it, an existing file stays
    ///   and the move fails with `EEXIST`.
    public static func move(_ source: String, to destination: String, replacing: Bool = true) throws(TransportError) {
        if replacing {
            if rename(source, destination) == 0 { return finish(destination, source) }
        } else {
            if link(source, destination) == 0 {
                unlink(source)
                return finish(destination, source)
            }
        }
        guard errno == EXDEV else {
            throw TransportError(.io, path: source, errno: errno, "cannot move the file to \(destination)")
        }
        try copyAcross(source, to: destination, replacing: replacing)
        guard unlink(source) == 0 || errno == ENOENT else {
            throw TransportError(.io, path: source, errno: errno, "copied to \(destination), but cannot remove the original")
        }
        AtomicFile.syncDirectory(of: source)
    }

    private static func finish(_ destination: String, _ source: String) {
        AtomicFile.syncDirectory(of: destination)
        AtomicFile.syncDirectory(of: source)
    }

    /// Copies `source` through a temporary file into `destination`, on disk before it is named.
    private static func copyAcross(_ source: String, to destination: String, replacing: Bool) throws(TransportError) {
        let input = open(source, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard input >= 0 else { throw TransportError(.io, path: source, errno: errno, "cannot open the file to copy it") }
        defer { close(input) }
        let file: AtomicFile
        do throws(FileInputError) {
            file = try AtomicFile(path: destination)
        } catch {
            throw TransportError(.io, path: error.path, errno: error.errno, "cannot create the copy")
        }
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw TransportError(.io, path: source, errno: errno, "cannot read the file to copy it")
            }
            if count == 0 { break }
            do throws(FileInputError) {
                try file.write(Array(buffer[0..<count]))
            } catch {
                throw TransportError(.io, path: destination, errno: error.errno, "cannot write the copy")
            }
        }
        do throws(FileInputError) {
            try file.finish()
            try file.place(replacing: replacing)
        } catch {
            throw TransportError(.io, path: destination, errno: error.errno, "cannot put the copy in place")
        }
    }
}
