/// A failure of the gateway itself (not of a file's data), saying what to do.
public enum GatewayError: Error, Sendable, CustomStringConvertible {
    case unknownFlow(String)
    case notFound(String)
    case notReprocessable(String)
    case io(String)
    case alreadyRunning(String)

    public var description: String {
        switch self {
        case .unknownFlow(let name): "no flow named \"\(name)\" in the configuration"
        case .notFound(let text), .notReprocessable(let text), .io(let text): text
        case .alreadyRunning(let lock): "another Hafen daemon is running on this state folder (it holds \(lock)); stop it first"
        }
    }
}
