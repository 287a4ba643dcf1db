/// A transfer that did not complete: libcurl's code and its own message (from
/// `CURLOPT_ERRORBUFFER`), the address (without query), and whether trying again may help.
public struct CurlError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libcurl's `CURLcode` (https://curl.se/libcurl/c/libcurl-errors.html).
    public var code: Int32
    public var message: String
    public var url: String

    public init(code: Int32, message: String, url: String) {
        self.code = code
        self.message = message
        self.url = url
    }

    /// Connection trouble and timeouts: the request may not have arrived, or its answer did
    /// not; the caller decides whether resending is safe (see RELIABILITY F13).
    public var isTransient: Bool {
        // COULDNT_RESOLVE_HOST 6, COULDNT_CONNECT 7, PARTIAL_FILE 18, OPERATION_TIMEDOUT 28,
        // SEND_ERROR 55, RECV_ERROR 56, GOT_NOTHING 52, HTTP2 16, HTTP2_STREAM 92
        [6, 7, 16, 18, 28, 52, 55, 56, 92].contains(code)
    }

    /// The request left but no complete answer came back: its effect is unknown.
    public var outcomeUnknown: Bool {
        [18, 28, 52, 56, 92].contains(code)
    }

    public var description: String {
        "HTTP request to \(url) failed: \(message) (curl error \(code))"
    }
}
