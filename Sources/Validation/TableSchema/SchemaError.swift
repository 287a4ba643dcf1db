/// A Table Schema descriptor Hafen cannot use, naming the file and the place inside it.
public struct SchemaError: Error, Sendable, CustomStringConvertible {
    public var file: String
    /// Where in the descriptor, e.g. `fields[3] "Bestand" constraints.minimum`.
    public var location: String
    public var message: String

    public var description: String {
        location.isEmpty ? "\(file): \(message)" : "\(file): \(location): \(message)"
    }
}
