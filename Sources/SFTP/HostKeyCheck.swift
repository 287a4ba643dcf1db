internal import CLibSSH2
import Foundation

/// Checks the key an SSH server presented against what the endpoint trusts: its entry in an
/// OpenSSH `known_hosts` file (plain or hashed names, `[host]:port` for other ports) or a
/// pinned SHA-256 fingerprint. An unknown or changed key is refused with its fingerprint and
/// how to trust it once it has been checked with the partner.
enum HostKeyCheck {
    struct PresentedKey {
        var blob: UnsafeBufferPointer<CChar>
        /// libssh2's `LIBSSH2_HOSTKEY_TYPE_…`.
        var type: Int32
        /// `SHA256:…` as OpenSSH prints it.
        var fingerprint: String

        var typeName: String {
            switch type {
            case LIBSSH2_HOSTKEY_TYPE_RSA: "ssh-rsa"
            case LIBSSH2_HOSTKEY_TYPE_DSS: "ssh-dss"
            case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: "ecdsa-sha2-nistp256"
            case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: "ecdsa-sha2-nistp384"
            case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: "ecdsa-sha2-nistp521"
            case LIBSSH2_HOSTKEY_TYPE_ED25519: "ssh-ed25519"
            default: "unknown"
            }
        }

        /// The known_hosts type bits for this key.
        var knownHostBits: Int32 {
            switch type {
            case LIBSSH2_HOSTKEY_TYPE_RSA: LIBSSH2_KNOWNHOST_KEY_SSHRSA
            case LIBSSH2_HOSTKEY_TYPE_DSS: LIBSSH2_KNOWNHOST_KEY_SSHDSS
            case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: LIBSSH2_KNOWNHOST_KEY_ECDSA_256
            case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: LIBSSH2_KNOWNHOST_KEY_ECDSA_384
            case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: LIBSSH2_KNOWNHOST_KEY_ECDSA_521
            case LIBSSH2_HOSTKEY_TYPE_ED25519: LIBSSH2_KNOWNHOST_KEY_ED25519
            default: LIBSSH2_KNOWNHOST_KEY_UNKNOWN
            }
        }
    }

    /// The key the server presented in the finished handshake.
    static func presentedKey(_ session: OpaquePointer) throws(SFTPError) -> PresentedKey {
        var length = 0
        var type: Int32 = 0
        guard let blob = libssh2_session_hostkey(session, &length, &type), length > 0,
              let hash = libssh2_hostkey_hash(session, LIBSSH2_HOSTKEY_HASH_SHA256) else {
            throw SFTPError(.hostKey, "the server presented no host key")
        }
        let digest = Data(bytes: hash, count: 32)
        return PresentedKey(blob: UnsafeBufferPointer(start: blob, count: length), type: type, fingerprint: fingerprintText(digest))
    }

    /// `SHA256:` and the unpadded Base64 of the digest, as `ssh-keygen -l` shows it.
    static func fingerprintText(_ digest: Data) -> String {
        var text = digest.base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return "SHA256:" + text
    }

    /// A fingerprint as an admin may write it: with or without `SHA256:`, with or without padding.
    static func normalized(_ fingerprint: String) -> String {
        var text = fingerprint.trimmingCharacters(in: .whitespaces)
        if text.uppercased().hasPrefix("SHA256:") { text = String(text.dropFirst(7)) }
        while text.hasSuffix("=") { text.removeLast() }
        return "SHA256:" + text
    }

    static func verify(_ session: OpaquePointer, endpoint: SFTPEndpoint) throws(SFTPError) {
        let key = try presentedKey(session)
        let presented = "\(key.typeName) \(key.fingerprint)"
        switch endpoint.hostKey {
        case .fingerprint(let pinned):
            guard normalized(pinned) == key.fingerprint else {
                throw SFTPError(.hostKey, """
                    the host key of \(endpoint.knownHostsName) is not the pinned one: the server presented \(presented), \
                    hafen.yaml pins \(normalized(pinned)). If the partner has really changed its key (ask them for the new \
                    fingerprint), pin the new one; otherwise someone may be in between
                    """)
            }
        case .knownHosts(let path):
            try checkKnownHosts(session, path: path, key: key, endpoint: endpoint, presented: presented)
        }
    }

    private static func checkKnownHosts(
        _ session: OpaquePointer, path: String, key: PresentedKey, endpoint: SFTPEndpoint, presented: String
    ) throws(SFTPError) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SFTPError(.hostKey, "cannot read the known_hosts file \(path)")
        }
        guard let hosts = libssh2_knownhost_init(session) else { throw SFTPError(.hostKey, "libssh2 cannot check host keys") }
        defer { libssh2_knownhost_free(hosts) }
        // Line by line: libssh2 gives up on a whole file at the first line it does not know
        // (a certificate authority, a key type it lacks); such lines cannot match anyway.
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), !trimmed.hasPrefix("@") else { continue }
            _ = libssh2_knownhost_readline(hosts, trimmed, trimmed.utf8.count, LIBSSH2_KNOWNHOST_FILE_OPENSSH)
        }
        let mask = LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | key.knownHostBits
        var known: UnsafeMutablePointer<libssh2_knownhost>?
        let result = libssh2_knownhost_checkp(hosts, endpoint.host, Int32(endpoint.port), key.blob.baseAddress, key.blob.count, mask, &known)
        let trust = """
            After checking the fingerprint with the partner, add the key to \(path) \
            (ssh-keyscan -p \(endpoint.port) -t \(key.typeName) \(endpoint.host) >> \(path)) or pin it in hafen.yaml \
            (host_key: \(key.fingerprint))
            """
        switch result {
        case LIBSSH2_KNOWNHOST_CHECK_MATCH:
            return
        case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
            throw SFTPError(.hostKey, """
                THE HOST KEY OF \(endpoint.knownHostsName) HAS CHANGED: the server presented \(presented), but \(path) \
                holds a different \(key.typeName) key for it. Someone may be in between; if the partner has really \
                changed its key, remove the old line (ssh-keygen -R '\(endpoint.knownHostsName)' -f \(path)). \(trust)
                """)
        case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
            throw SFTPError(.hostKey, "the host key of \(endpoint.knownHostsName) is not known: the server presented \(presented). \(trust)")
        default:
            throw SFTPError(.hostKey, "libssh2 could not check the host key of \(endpoint.knownHostsName) against \(path)")
        }
    }
}
