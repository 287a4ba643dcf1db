import Foundation
import HafenTesting
import Testing
import XML

/// The corpus's SOAP material: Savon's responses (faults of both versions and the odd shapes
/// servers produce), node-soap's request/response pairs (some MIME-wrapped), SAP's payloads.
@Suite(.enabled(if: SharedFolder.testsEnabled, "../shared is absent; set HAFEN_SHARED or run in CI"))
struct SOAPCorpusTests {
    static let soap = SharedFolder.file("corpus/soap")

    /// Reads every payload event; the faults, or the error.
    static func read(_ path: String) -> Result<(envelopes: Int, faults: [SOAPFault], events: Int), XMLError> {
        do throws(XMLError) {
            let reader = try SOAPEnvelopeReader(path: path)
            var events = 0
            while try reader.next() != nil { events += 1 }
            return .success((reader.envelopes, reader.faults, events))
        } catch {
            return .failure(error)
        }
    }

    @Test func reportsSavonsFaultsWithCodeAndReason() throws {
        let expected: [String: (code: String, reason: String)] = [
            "soap_fault.xml": ("soap:Server", "Fault occurred while processing."),
            "soap_fault12.xml": ("soap:Sender / m:MessageTimeout", "Sender Timeout"),
            "another_soap_fault.xml": ("ERR_NO_SESSION", "Wrong session message"),
            "empty_soap_fault.xml": ("", ""),
            "soap_fault_funky.xml": ("42", "The Answer to Life The Universe And Everything"),
        ]
        for (file, fault) in expected {
            let outcome = Self.read(Self.soap + "/savon/response/" + file)
            let faults = try outcome.get().faults
            #expect(faults.map(\.code) == [fault.code], "\(file): \(faults)")
            #expect(faults.map(\.reason) == [fault.reason], "\(file): \(faults)")
        }
    }

    @Test func readsSavonsOtherResponsesAndRefusesTheOneWithoutBody() throws {
        let folder = Self.soap + "/savon/response"
        for file in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where !file.contains("fault") {
            let outcome = Self.read(folder + "/" + file)
            if file == "no_body.xml" {
                #expect(throws: XMLError.self, "\(file)") { try outcome.get() }
            } else {
                let read = try outcome.get()
                #expect(read.faults.isEmpty && read.events > 0, "\(file)")
            }
        }
    }

    /// Every node-soap request and response: an envelope whose payload reads, also where it
    /// comes wrapped in MIME; the two that are not SOAP (one not well-formed, one without an
    /// envelope) are refused.
    @Test func readsNodeSoapsEnvelopesIncludingMIMEWrappedOnes() throws {
        let folder = Self.soap + "/node-soap"
        let refused = ["fooOp__should_return_back_good_response_object/response.xml", "getAppointmentNumber__should_be_able_to_parse_response/response.xml"]
        var read = 0
        var mime = 0
        for test in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
            for file in ["request.xml", "response.xml"] {
                let path = folder + "/" + test + "/" + file
                guard FileManager.default.fileExists(atPath: path) else { continue }
                let outcome = Self.read(path)
                if refused.contains(test + "/" + file) {
                    #expect(throws: XMLError.self, "\(test)/\(file)") { try outcome.get() }
                    continue
                }
                switch outcome {
                case .success(let result):
                    #expect(result.envelopes == 1, "\(test)/\(file)")
                    read += 1
                    if try String(contentsOfFile: path, encoding: .isoLatin1).drop(while: \.isWhitespace).hasPrefix("--") { mime += 1 }
                case .failure(let error):
                    Issue.record("\(test)/\(file): \(error)")
                }
            }
        }
        #expect(read > 100 && mime >= 3, "read \(read), MIME \(mime)")
    }
}
