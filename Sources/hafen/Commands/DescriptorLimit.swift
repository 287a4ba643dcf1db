#if canImport(Glibc)
import Glibc
#endif

/// The daemon's open-file limit: raised to the hard limit at start, and the webhook port's
/// connections kept well under it, so files, the ledger and SFTP always have descriptors left
/// however many clients connect.
enum DescriptorLimit {
    /// Descriptors kept for the gateway itself (ledger, inboxes, archive, SFTP, inotify).
    static let reserve = 256

    /// Raises the soft limit to the hard one; returns the limit now in force.
    @discardableResult
    static func raise() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur > rlim_t(Int32.max) ? Int(Int32.max) : Int(limit.rlim_cur)
    }

    /// How many connections the port may hold when `wanted` are configured and `limit` descriptors exist.
    static func connections(wanted: Int, limit: Int) -> Int {
        max(8, min(wanted, (limit - reserve) / 2))
    }
}
