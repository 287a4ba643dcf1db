import Foundation
import Shops
import Testing

@Suite struct CostBucketTests {
    @Test func readsShopifysCostExtensionWithWholeOrDecimalNumbers() throws {
        let json = #"{"requestedQueryCost":10,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":1990,"restoreRate":100.0}}"#
        let cost = try JSONDecoder().decode(QueryCost.self, from: Data(json.utf8))
        #expect(cost.requestedQueryCost == 10 && cost.actualQueryCost == nil)
        #expect(cost.throttleStatus == .init(maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100))
    }

    @Test func waitsForTheDeficitAtTheRestoreRate() {
        var bucket = CostBucket()
        let now = ContinuousClock.now
        bucket.observe(.init(maximumAvailable: 2000, currentlyAvailable: 50, restoreRate: 100), at: now)
        #expect(bucket.wait(for: 10, at: now) == .zero)
        #expect(bucket.wait(for: 250, at: now) == .seconds(2), "(250 - 50) / 100 per second")
        #expect(bucket.wait(for: 250, at: now + .seconds(1)) == .seconds(1), "restored meanwhile")
        #expect(bucket.available(at: now + .seconds(60)) == 2000, "never above the bucket's size")
    }

    @Test func booksASentCallUntilTheAnswerCorrectsIt() {
        var bucket = CostBucket(maximumAvailable: 1000, restoreRate: 50)
        let now = ContinuousClock.now
        bucket.spend(990, at: now)
        #expect(bucket.wait(for: 60, at: now) == .seconds(1))
        bucket.observe(.init(maximumAvailable: 1000, currentlyAvailable: 400, restoreRate: 50), at: now)
        #expect(bucket.wait(for: 60, at: now) == .zero)
    }
}
