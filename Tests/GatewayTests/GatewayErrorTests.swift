#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Gateway
import Testing

@Suite struct GatewayErrorTests {
    @Test func aFailedMoveCarriesItsCodeCauseAndRemedy() throws {
        let error = GatewayError.cannotMove("the file", from: "/work/a.csv", to: "/archive/a.csv", errno: ENOSPC)
        #expect(error.code == .cannotMove)
        #expect((error.cause as? POSIXError)?.code == .ENOSPC)
        #expect(error.message == "cannot move the file /work/a.csv to /archive/a.csv: No space left on device")
        #expect(error.description.hasPrefix(error.message + " — check that Hafen may write both folders"))
        #expect(error.location.file.hasSuffix("GatewayErrorTests.swift"))
    }

    @Test func anErrorWithoutRemedyIsItsMessage() {
        let error = GatewayError.notReprocessable("#3 is done; only failed or partial files can be reprocessed")
        #expect(error.code == .notReprocessable && error.cause == nil)
        #expect(error.description == "#3 is done; only failed or partial files can be reprocessed")
    }
}
