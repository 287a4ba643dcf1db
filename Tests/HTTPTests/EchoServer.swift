import Foundation
import HafenTesting
#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP server on loopback (Python's http.server) for the client's tests: `/echo`
/// answers with the request as JSON, `/status/N` with status N and `Retry-After: 2`, `/slow`
/// after three seconds, `/big` with one MiB.
final class EchoServer {
    let port: Int
    private let process: ChildProcess

    static let script = #"""
    import http.server, json, sys, time
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *args): pass
        def answer(self, status, body, headers={}):
            self.send_response(status)
            for k, v in headers.items(): self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.path.startswith("/status/"):
                return self.answer(int(self.path.split("/")[2]), b"{}", {"Retry-After": "2", "Content-Type": "application/json"})
            if self.path == "/slow":
                time.sleep(3)
                return self.answer(200, b"late")
            if self.path == "/big":
                return self.answer(200, bytes(range(256)) * 4096)
            echo = {"method": self.command, "path": self.path, "client_port": self.client_address[1], "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body.decode("utf-8", "replace")}
            self.answer(200, json.dumps(echo).encode(), {"Content-Type": "application/json", "X-Echo": "yes"})
        do_GET = do_POST = do_PUT = do_DELETE = handle_any
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[1] + ".tmp", "w") as f: f.write(str(server.server_address[1]))
    import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    server.serve_forever()
    """#

    init() throws {
        let directory = try TemporaryDirectory()
        let portFile = directory.path + "/port"
        let process = try ChildProcess(["/usr/bin/env", "python3", "-c", Self.script, portFile], stderr: .file(directory.path + "/log"))
        self.process = process
        guard let port = PortFile.wait(portFile, seconds: 20, while: { process.isRunning }) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        self.port = port
        withExtendedLifetime(directory) {}
    }
}
