/// A mistake in `hafen.yaml`, naming the file, the key and the line.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var key: String
    public var line: Int?
    public var message: String

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(place): \(message)" : "\(place): \(key): \(message)"
    }
}
