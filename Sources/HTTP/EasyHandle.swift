import Foundation
internal import CCurl

/// libcurl is initialised once per process, before the first handle (curl_global_init is not
/// thread-safe: https://curl.se/libcurl/c/curl_global_init.html). A global `let` runs once.
private let curlGlobal: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

/// One libcurl easy handle and what its transfer collects. Not Sendable: `HTTPClient` owns it
/// on its serial queue. Frees the handle and the header list in `deinit`.
final class EasyHandle {
    private let handle: UnsafeMutableRawPointer
    private var headers: UnsafeMutablePointer<curl_slist>?
    /// libcurl writes its message here (CURLOPT_ERRORBUFFER wants CURL_ERROR_SIZE bytes that
    /// live as long as the handle).
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    private let collector = Collector()
    private var url = ""

    /// Receives the body and header lines from libcurl's callbacks.
    final class Collector {
        var body: [UInt8] = []
        var headerLines: [String] = []
    }

    init() throws(CurlError) {
        guard curlGlobal == CURLE_OK, let handle = curl_easy_init() else {
            throw CurlError(code: Int32(CURLE_FAILED_INIT.rawValue), message: "libcurl could not be initialised", url: "")
        }
        self.handle = handle
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headers)
        errorBuffer.deallocate()
    }

    private func check(_ code: CURLcode) throws(CurlError) {
        guard code != CURLE_OK else { return }
        let detail = String(cString: errorBuffer)
        throw CurlError(code: Int32(code.rawValue), message: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail, url: url)
    }

    /// Forgets the previous request's options, headers and answer; the connection cache stays,
    /// so the next request to the same host reuses the open (TLS) connection.
    func reset() {
        curl_easy_reset(handle)
        curl_slist_free_all(headers)
        headers = nil
        collector.body = []
        collector.headerLines = []
        errorBuffer[0] = 0
    }

    /// Sets up one request. `body` is copied by libcurl (CURLOPT_COPYPOSTFIELDS).
    func prepare(
        method: String, url: String, headers lines: [String], body: [UInt8]?, timeoutMS: Int, connectTimeoutMS: Int,
        proxy: String?, verifyTLS: Bool
    ) throws(CurlError) {
        self.url = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        try check(hafen_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        try check(hafen_curl_setopt_string(handle, CURLOPT_URL, url))
        // Only these protocols, never file:// or others a redirect might name.
        try check(hafen_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
        // No signals: timeouts must work in a multi-threaded process (CURLOPT_NOSIGNAL).
        try check(hafen_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        try check(hafen_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeoutMS))
        try check(hafen_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, connectTimeoutMS))
        try check(hafen_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, verifyTLS ? 1 : 0))
        try check(hafen_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, verifyTLS ? 2 : 0))
        try check(hafen_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""))
        if let proxy { try check(hafen_curl_setopt_string(handle, CURLOPT_PROXY, proxy)) }
        switch method {
        case "GET": try check(hafen_curl_setopt_long(handle, CURLOPT_HTTPGET, 1))
        case "POST": try check(hafen_curl_setopt_long(handle, CURLOPT_POST, 1))
        default: try check(hafen_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method))
        }
        if let body {
            try check(hafen_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            if body.isEmpty {
                try check(hafen_curl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, ""))
            } else {
                let handle = handle
                try check(body.withUnsafeBytes { hafen_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress!)) })
            }
        }
        // "Expect: 100-continue" would add a round trip to every POST.
        for line in lines + ["Expect:"] { headers = curl_slist_append(headers, line) }
        try check(hafen_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headers))
        let context = Unmanaged.passUnretained(collector).toOpaque()
        try check(hafen_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, { data, size, count, context in
            let collector = Unmanaged<Collector>.fromOpaque(context!).takeUnretainedValue()
            let n = size * count
            if let data { data.withMemoryRebound(to: UInt8.self, capacity: n) { collector.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: n)) } }
            return n
        }))
        try check(hafen_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context))
        try check(hafen_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION, { data, size, count, context in
            let collector = Unmanaged<Collector>.fromOpaque(context!).takeUnretainedValue()
            let n = size * count
            if let data {
                let line = data.withMemoryRebound(to: UInt8.self, capacity: n) { String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self) }
                collector.headerLines.append(line.trimmingCharacters(in: .newlines))
            }
            return n
        }))
        try check(hafen_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context))
    }

    /// Runs the transfer (blocking) and returns the status, the last response's header lines and the body.
    func perform() throws(CurlError) -> (status: Int, headerLines: [String], body: [UInt8]) {
        try check(curl_easy_perform(handle))
        var status = 0
        try check(hafen_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status))
        // After a 100 Continue or a proxy CONNECT, only the last block of headers counts.
        let lines = collector.headerLines
        let start = lines.lastIndex { $0.hasPrefix("HTTP/") } ?? 0
        return (status, Array(lines[start...]), collector.body)
    }
}
