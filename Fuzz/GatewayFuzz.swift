// libFuzzer entry point for the parsers that live in the Gateway and Shops modules: the
// configuration loader (Yams and every rule of hafen.yaml) and the webhook receiver's part
// (the HMAC check and the body's JSON). tools/fuzz.sh links it with the object files of a
// SwiftPM release build made with -sanitize=fuzzer,address. HAFEN_FUZZ_TARGET picks the target.
import Crypto
import Foundation
import Gateway
import Shops

private let target = ProcessInfo.processInfo.environment["HAFEN_FUZZ_TARGET"] ?? "config"
private let root = (FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()) + "/hafen-fuzz-config-\(getpid())"
private let secret = "fuzz-secret"
private let verifier = WebhookVerifier(secrets: ["main": secret, "zweit": "another-secret"])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data!, count: size))
    switch target {
    case "config": fuzzConfig(bytes)
    case "webhook": fuzzWebhook(bytes)
    default: fatalError("unknown HAFEN_FUZZ_TARGET \(target)")
    }
    return 0
}

/// The bytes as hafen.yaml: a configuration or a positioned `ConfigError`, never a crash.
private func fuzzConfig(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    do {
        let config = try ConfigLoader.parse(text, file: "fuzz.yaml", root: root)
        _ = config.flows.map(\.name)
    } catch {
        _ = error.description
    }
}

/// The first line is the topic, the second the signature (`ok` signs the body with the right
/// secret, so the JSON is read too); the rest is the body.
private func fuzzWebhook(_ bytes: [UInt8]) {
    let lines = bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 2, omittingEmptySubsequences: false)
    guard lines.count == 3 else { return }
    let topic = String(decoding: lines[0], as: UTF8.self)
    let body = Array(lines[2])
    var signature = String(decoding: lines[1], as: UTF8.self)
    if signature == "ok" {
        signature = Data(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))).base64EncodedString()
    }
    guard verifier.shop(signing: body, signature: signature) != nil else { return }
    let header: (String) -> String? = { name in
        switch name {
        case ShopifyWebhook.topicHeader: topic
        case ShopifyWebhook.idHeader: "fuzz-1"
        default: nil
        }
    }
    do {
        _ = try ShopifyWebhook.read(body: body, header: header)
    } catch {
        _ = error.description
    }
}
