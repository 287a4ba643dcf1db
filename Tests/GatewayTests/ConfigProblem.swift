import Gateway

/// What loading a configuration says: its error, or "no error".
func configProblem(_ load: () throws -> GatewayConfig) -> String {
    do {
        _ = try load()
        return "no error"
    } catch {
        return "\(error)"
    }
}
