import Crypto
import Foundation

/// Checks Shopify's `X-Shopify-Hmac-Sha256`: the base64 HMAC-SHA256 of the raw body with the
/// app's secret. Each configured shop's secret is tried; the one that matches names the shop.
/// Digests are compared in constant time, so timing tells an attacker nothing.
public struct WebhookVerifier: Sendable {
    private let keys: [(shop: String, key: SymmetricKey)]

    /// - Parameter secrets: shop name → the app secret (already read from env or file).
    public init(secrets: [String: String]) {
        keys = secrets.sorted { $0.key < $1.key }.map { ($0.key, SymmetricKey(data: Data($0.value.utf8))) }
    }

    public var isEmpty: Bool { keys.isEmpty }

    /// The shop whose secret signed `body`, or nil when none did (or the header is malformed).
    public func shop(signing body: [UInt8], signature: String) -> String? {
        guard let expected = Data(base64Encoded: signature.trimmingCharacters(in: .whitespaces)), expected.count == SHA256.byteCount else { return nil }
        var found: String?
        for (shop, key) in keys where HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: body, using: key) {
            found = found ?? shop
        }
        return found
    }
}
