import Foundation

/// Runs a program to completion and captures what it printed.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

public enum ProcessRunner {
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil,
        environment: [String: String] = [:]
    ) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes fully before waiting, so a chatty child cannot block on a full pipe.
        let errData = LockedData()
        let errReader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        errReader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.isSet { usleep(1000) }
        return ProcessResult(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.value, as: UTF8.self))
    }

    /// `python3 ../shared/tools/gen_erp_export.py KIND …` writing to `output`; returns the sidecar's defects by row.
    @discardableResult
    public static func generateExport(
        _ kind: String, rows: Int, seed: Int = 7, defects: Double = 0, to output: String
    ) throws -> [Int: String] {
        let result = try run(
            "/usr/bin/env",
            ["python3", SharedFolder.file("tools/gen_erp_export.py"), kind, "--rows", "\(rows)", "--seed", "\(seed)",
             "--defects", "\(defects)", "-o", output])
        guard result.status == 0 else { throw GeneratorFailed(message: result.stderr) }
        let sidecar = try Data(contentsOf: URL(fileURLWithPath: output + ".defects.json"))
        let json = try JSONSerialization.jsonObject(with: sidecar) as? [String: Any]
        let found = json?["defects"] as? [String: String] ?? [:]
        return Dictionary(uniqueKeysWithValues: found.map { (Int($0.key)!, $0.value) })
    }
}

public struct GeneratorFailed: Error {
    public var message: String
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var done = false

    func set(_ data: Data) {
        lock.lock(); self.data = data; done = true; lock.unlock()
    }

    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return done }
    var value: Data { lock.lock(); defer { lock.unlock() }; return data }
}
