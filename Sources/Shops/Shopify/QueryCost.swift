/// `extensions.cost` of an Admin GraphQL answer: what the call cost and the bucket afterwards.
/// Shopify writes the numbers as `1000` or `1000.0`, so they are read as floating point.
public struct QueryCost: Sendable, Equatable, Decodable {
    public struct ThrottleStatus: Sendable, Equatable, Decodable {
        public var maximumAvailable: Double
        public var currentlyAvailable: Double
        public var restoreRate: Double

        public init(maximumAvailable: Double, currentlyAvailable: Double, restoreRate: Double) {
            self.maximumAvailable = maximumAvailable
            self.currentlyAvailable = currentlyAvailable
            self.restoreRate = restoreRate
        }
    }

    public var requestedQueryCost: Double
    /// nil when the call was throttled and not executed.
    public var actualQueryCost: Double?
    public var throttleStatus: ThrottleStatus
}
