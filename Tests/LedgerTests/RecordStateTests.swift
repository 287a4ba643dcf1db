import Foundation
import HafenTesting
@testable import Ledger
import Testing

@Suite struct RecordStateTests {
    @Test func keepsWhatWasPushedWithTheShopsIdsExactly() throws {
        let dir = try TemporaryDirectory()
        let ledger = try Ledger(path: dir.file(".hafen/ledger.sqlite"))
        let odd = ["product": "gid://shopify/Product/1", "variant:A \"1\"\\x": "line\nbreak\ttab\u{1}", "item:Größe": "ü"]
        let now = Date()
        let first = try ledger.register(flow: "products", source: "local:inbox/products", name: "a.csv", workPath: "w/a.csv", size: 1).id
        let second = try ledger.register(flow: "products", source: "local:inbox/products", name: "b.csv", workPath: "w/b.csv", size: 1).id
        try ledger.recordPushed([
            RecordState(shop: "main", kind: "product", key: "a", contentHash: "h1", content: "{}", remoteIDs: odd, pushedAt: now, fileID: first),
            RecordState(shop: "main", kind: "sku", key: "A-1", contentHash: "", content: "", remoteIDs: [:], pushedAt: now, fileID: nil),
        ])
        let states = try ledger.recordStates(shop: "main", kind: "product", keys: ["a", "b"])
        #expect(states.count == 1)
        #expect(states["a"]?.remoteIDs == odd)
        #expect(states["a"]?.fileID == first)
        #expect(try ledger.recordStates(shop: "main", kind: "sku", keys: ["A-1"])["A-1"]?.remoteIDs == [:])
        #expect(try ledger.recordStates(shop: "other", kind: "product").isEmpty)
        // A later push replaces the state.
        try ledger.recordPushed([RecordState(shop: "main", kind: "product", key: "a", contentHash: "h2", content: "{\"x\":1}", remoteIDs: [:], pushedAt: now, fileID: second)])
        #expect(try ledger.recordStates(shop: "main", kind: "product").map(\.contentHash) == ["h2"])
    }

    @Test func writesIdsAsJSONThatAnyParserReads() throws {
        let text = Ledger.json(["b": "q\"uote", "a": "back\\slash"])
        #expect(text == #"{"a":"back\\slash","b":"q\"uote"}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        #expect(parsed == ["a": "back\\slash", "b": "q\"uote"])
    }

    @Test func readsItsOwnIdFormatWithoutAGeneralParserAndLeavesOddTextToIt() {
        #expect(Ledger.parseIDs(#"{"inventory_item":"gid://shopify/InventoryItem/5","location":"gid://shopify/Location/1"}"#)
            == ["inventory_item": "gid://shopify/InventoryItem/5", "location": "gid://shopify/Location/1"])
        #expect(Ledger.parseIDs("{}") == [:])
        #expect(Ledger.parseIDs(#"{"a":"b\"c"}"#) == nil)  // escapes: JSONSerialization's job
        #expect(Ledger.parseIDs(#"{"a":"b" "c":"d"}"#) == nil)
        #expect(Ledger.parseIDs(#"{"a":1}"#) == nil)
    }
}
