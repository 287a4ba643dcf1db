import Transport
import Foundation
import Gateway
import HafenTesting
import Testing

/// `partners:` and `sftp://` locations are checked when the configuration loads, each mistake
/// named with its key and line.
@Suite struct PartnerConfigTests {
    static func load(partner: String = "    key: file:keys/erp\n    known_hosts: keys/known_hosts", flow: String = "    source: sftp://erp/out/stock/*.csv") -> String {
        configProblem {
            try ConfigLoader.parse(
                """
                partners:
                  erp:
                    host: sftp.example.com
                    user: hafen
                \(partner)
                flows:
                  stock:
                \(flow)
                    schema: \(SharedFolder.projectRoot)/schemas/stock.schema.json
                """, file: "hafen.yaml", root: "/srv/hafen")
        }
    }

    @Test func readsAPartnerAndAnSFTPSource() throws {
        #expect(Self.load() == "no error")
        let config = try ConfigLoader.parse(
            """
            partners:
              erp:
                host: sftp.example.com
                port: 2222
                user: hafen
                key: file:keys/erp
                passphrase: env:ERP_PASSPHRASE
                host_key: SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s
                directory: /home/hafen
            flows:
              stock:
                source: sftp://erp/out/stock/*.csv
                schema: \(SharedFolder.projectRoot)/schemas/stock.schema.json
                move_to: out/stock/done
                receipts_to: sftp://erp/in/receipts
            """, file: "hafen.yaml", root: "/srv/hafen")
        let partner = try #require(config.partner(named: "erp"))
        #expect(partner.port == 2222)
        #expect(partner.login == .key(path: "/srv/hafen/keys/erp", passphrase: .environment("ERP_PASSPHRASE")))
        #expect(partner.hostKey == .fingerprint("SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s"))
        let flow = try #require(config.flow(named: "stock"))
        #expect(flow.remote == RemoteLocation(partner: "erp", directory: "out/stock", glob: "*.csv"))
        #expect(flow.afterPickup == .move("out/stock/done"))
        #expect(flow.receiptsTo?.description == "sftp://erp/in/receipts")
        #expect(flow.sourceLabel(config) == "sftp://erp/out/stock")
    }

    @Test func aPartnerWithoutAHostKeySaysHowToGetOne() {
        let problem = Self.load(partner: "    key: file:keys/erp")
        #expect(problem.contains("partners.erp.known_hosts"))
        #expect(problem.contains("ssh-keyscan sftp.example.com"))
    }

    @Test func aKeyInTheEnvironmentIsRefused() {
        #expect(Self.load(partner: "    key: env:ERP_KEY\n    known_hosts: kh").contains("partners.erp.key"))
    }

    @Test func aPasswordMustBeAReferenceNotThePassword() {
        let problem = Self.load(partner: "    password: hunter2\n    known_hosts: kh")
        #expect(problem.contains("partners.erp.password"))
        #expect(!problem.contains("hunter2"), "the message repeats the password")
    }

    @Test func remotePathsThatCouldLeaveThePartnersFolderAreRefused() {
        #expect(Self.load(flow: "    source: sftp://erp/out/../../etc/*.csv").contains("flows.stock.source"))
        #expect(Self.load(flow: "    source: sftp://erp/out/stock/*.csv\n    move_to: ../archive").contains("flows.stock.move_to"))
        #expect(Self.load(flow: "    source: sftp://erp/out/stock/*.csv\n    move_to: /etc").contains("absolute"))
        #expect(Self.load(flow: "    source: sftp://erp/*.csv").contains("names no folder"))
    }

    @Test func anUnknownPartnerIsNamedWithTheClosestOne() {
        let problem = Self.load(flow: "    source: sftp://epr/out/stock/*.csv")
        #expect(problem.contains("no partner \"epr\""))
        #expect(problem.contains("did you mean erp?"))
    }

    @Test func pickUpSettingsBelongToSFTPFlows() {
        #expect(Self.load(flow: "    source: inbox/stock/*.csv\n    after_pickup: delete").contains("belongs to a flow whose source is sftp://"))
        #expect(Self.load(flow: "    source: sftp://erp/out/stock/*.csv\n    after_pickup: shred").contains("must be keep"))
    }
}
