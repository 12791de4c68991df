import Crypto
import Foundation
import ParleyConnectors
import ParleyCore
import ParleyTestSupport
import Testing

extension Reliability {
    @Suite("Webhook replays against parley run", .serialized)
    struct WebhookReplayTests {
        static func signature(_ body: [UInt8], secret: String) -> String {
            let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
            return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
        }

        static func delivery(id: String, event: String, record: JSONValue) -> [UInt8] {
            JSONValue.object([
                "deliveryId": .string(UUID().uuidString.lowercased()), "system": "erp", "collection": "customers", "id": .number(id),
                "event": .string(event), "sequence": "1", "occurredAt": "2026-01-01T00:00:00.000Z", "record": record,
            ]).jsonBytes
        }

        /// Polls `condition` every 100 ms for up to `seconds`.
        static func eventually(_ seconds: Int, _ condition: () async throws -> Bool) async throws -> Bool {
            for _ in 0..<(seconds * 10) {
                if try await condition() { return true }
                try await Task.sleep(for: .milliseconds(100))
            }
            return try await condition()
        }

        @Test("old signed deliveries replayed to parley run change nothing; a tampered one is refused")
        func replayedDeliveriesAreHarmless() async throws {
            try #require(FileManager.default.isExecutableFile(atPath: ParleyBinary.path), "build the parley executable first (swift build)")
            let harness = try await SyncHarness.start(erpSeed: 5)
            let secret = "erp-hook-\(UUID().uuidString.lowercased())"
            var environment = harness.environment
            environment["PARLEY_ERP_WEBHOOK_SECRET"] = secret
            environment["PARLEY_PMS_WEBHOOK_SECRET"] = "pms-hook-\(UUID().uuidString.lowercased())"
            var runner: ParleyProcess?
            do {
                let run = try await ParleyProcess.run(
                    ["--config", harness.configPath, "--log-level", "info"], environment: environment, output: harness.folder + "/run.log")
                runner = run
                let registered = try await Self.eventually(30) {
                    let log = (try? String(contentsOfFile: run.outputPath, encoding: .utf8)) ?? ""
                    let linked = try await harness.store.counts(flow: "customers").linked == 5
                    return linked && log.components(separatedBy: "webhooks registered").count == 3
                }
                try #require(registered, "parley run should link the seed and register its webhooks")
                let pmsOf = { (erpId: String) async throws -> String in
                    try #require(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.rightId)
                }
                let pms1 = try await pmsOf("1")
                let pms2 = try await pmsOf("2")
                // Deliveries as the ERP signed them earlier: record 1 as it was, and a "deleted" for record 2.
                let oldRecord = try #require(try await harness.erpClient.get("customers", "1"))
                let oldUpdate = Self.delivery(id: "1", event: "updated", record: oldRecord)
                let oldDelete = Self.delivery(id: "2", event: "deleted", record: ["id": 2, "deleted": true])

                try await harness.erpClient.patch("customers", "1", ["name": "Current Name AS"])
                #expect(try await Self.eventually(10) { try await harness.pmsClient.get("customers", pms1)?["display_name"] == "Current Name AS" })

                let client = HTTPTransport(settings: .init(system: "parley", baseURL: run.baseURL))
                defer { Task { await client.shutdown() } }
                func post(_ body: [UInt8], signature: String) async throws -> Int {
                    try await client.send(
                        .POST, "/webhooks/erp", body: try JSONValue.parse(body),
                        headers: [("X-Parley-Signature", signature)]).status
                }
                // The JSON writer sorts keys and writes compactly, so re-encoding the parsed body gives the same bytes.
                #expect(try await post(oldUpdate, signature: Self.signature(oldUpdate, secret: secret)) == 202)
                #expect(try await post(oldDelete, signature: Self.signature(oldDelete, secret: secret)) == 202)
                var tampered = try JSONValue.parse(oldUpdate)
                tampered.setValue("Tampered AS", at: "record.name")
                #expect(try await post(tampered.jsonBytes, signature: Self.signature(oldUpdate, secret: secret)) == 401)

                // A genuine change after the replays: once it has arrived, the replays were handled before it.
                try await harness.erpClient.patch("customers", "3", ["phone": "+47 300 00 000"])
                let pms3 = try await pmsOf("3")
                #expect(try await Self.eventually(10) { try await harness.pmsClient.get("customers", pms3)?["contact_phone"] == "+47 300 00 000" })

                #expect(try await harness.pmsClient.get("customers", pms1)?["display_name"] == "Current Name AS")
                #expect(try await harness.erpClient.get("customers", "1")?["name"] == "Current Name AS")
                #expect(try await harness.pmsClient.get("customers", pms2)?["archived"] == false)
                #expect(try await harness.store.links(flow: "customers", side: .left, ids: ["2"])["2"]?.state == .linked)
                let log = await run.stop()
                runner = nil
                #expect(log.contains("webhook rejected: bad signature"), "\(log.suffix(2000))")
            } catch {
                if let runner { _ = await runner.stop() }
                await harness.stop()
                throw error
            }
            await harness.stop()
        }
    }
}
