import Crypto
import Foundation
import ParleyCore
import ParleyEngine
@testable import ParleyServer
import ParleyTestSupport
import Testing

@Suite("Webhooks: signed deliveries sync at once, anything else is refused")
struct WebhookTests {
    @Test("an edit in the ERP reaches the PMS within one second through the registered webhook, without a polling pass")
    func signedWebhookPropagatesWithinOneSecond() async throws {
        try await ServerHarness.with(erpSeed: 3, registersWebhooks: true) { harness in
            // Parley registered itself with both systems.
            try await eventually("both webhook subscriptions", timeout: .seconds(20)) {
                let systems = try await harness.get("/api/systems").json?["items"]?.arrayValue ?? []
                return systems.count == 2 && systems.allSatisfy { $0["webhooks"]?["status"] == "registered" }
            }
            let erpHooks = try await harness.sync.erpClient.request("GET", "/webhooks")["items"]?.arrayValue ?? []
            #expect(erpHooks.compactMap { $0["url"]?.stringValue } == [harness.baseURL + "/webhooks/erp"])
            // Let the echoes of the first pass settle.
            try await Task.sleep(for: .milliseconds(500))
            let pmsId = try await harness.pmsCustomer(linkedTo: "2")
            let scheduledBefore = harness.passes.count(.scheduled)

            let phone = "+47 555 \(Int.random(in: 10_000...99_999))"
            let started = ContinuousClock.now
            try await harness.sync.erpClient.patch("customers", "2", ["phone": .string(phone)])
            var arrived: Duration?
            while ContinuousClock.now - started < .seconds(1) {
                if try await harness.sync.pmsClient.get("customers", pmsId)?["contact_phone"]?.stringValue == phone {
                    arrived = ContinuousClock.now - started
                    break
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            let elapsed = try #require(arrived, "the PMS did not get the new phone number within one second")
            #expect(elapsed < .seconds(1))
            #expect(harness.passes.count(.scheduled) == scheduledBefore, "no polling pass ran in between")
            #expect(harness.passes.count(.webhook) >= 1)
        }
    }

    @Test("on shutdown, Parley removes the subscriptions it registered with each system")
    func shutdownUnsubscribes() async throws {
        let harness = try await ServerHarness.start(erpSeed: 2, registersWebhooks: true)
        do {
            try await eventually("both webhook subscriptions", timeout: .seconds(20)) {
                let systems = try await harness.get("/api/systems").json?["items"]?.arrayValue ?? []
                return systems.count == 2 && systems.allSatisfy { $0["webhooks"]?["status"] == "registered" }
            }
            #expect(try await harness.sync.erpClient.request("GET", "/webhooks")["items"]?.arrayValue?.count == 1)
            #expect(try await harness.sync.pmsClient.request("GET", "/webhooks")["items"]?.arrayValue?.count == 1)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.group.triggerGracefulShutdown()
        _ = try? await harness.runTask.value
        let erpAfter = try await harness.sync.erpClient.request("GET", "/webhooks")["items"]?.arrayValue
        let pmsAfter = try await harness.sync.pmsClient.request("GET", "/webhooks")["items"]?.arrayValue
        await harness.stop()
        #expect(erpAfter?.isEmpty == true, "\(String(describing: erpAfter))")
        #expect(pmsAfter?.isEmpty == true, "\(String(describing: pmsAfter))")
    }

    @Test("unsigned, badly signed and unknown-system deliveries get 401 and change nothing; a signed one then syncs")
    func unsignedOrBadlySignedDeliveriesAreRejected() async throws {
        try await ServerHarness.with(erpSeed: 2) { harness in
            let pmsId = try await harness.pmsCustomer(linkedTo: "1")
            let phoneBefore = try #require(try await harness.sync.pmsClient.get("customers", pmsId)?["contact_phone"])
            // Changed in the ERP; no subscription is registered, so only our hand-made deliveries announce it.
            try await harness.sync.erpClient.patch("customers", "1", ["phone": "+47 111 22 333"])
            let body = Self.delivery(collection: "customers", id: .number("1"))
            let secret = try #require(ServerHarness.secrets["erp"])
            let attempts: [(path: String, signature: String?)] = [
                ("/webhooks/erp", nil),
                ("/webhooks/erp", WebhookSignature.header(body: body, secret: "not-the-secret")),
                ("/webhooks/erp", "sha256=zz"),
                ("/webhooks/erp", WebhookSignature.header(body: Self.delivery(collection: "customers", id: .number("2")), secret: secret)),
                ("/webhooks/crm", WebhookSignature.header(body: body, secret: secret)),
            ]
            for attempt in attempts {
                let headers = attempt.signature.map { [("X-Parley-Signature", $0)] } ?? []
                let reply = try await harness.request(.POST, attempt.path, auth: .none, body: body, headers: headers)
                #expect(reply.status == 401, "\(attempt.path) with \(attempt.signature ?? "no signature")")
                #expect(reply.json?["error"]?["code"] == "unauthorized")
            }
            try await Task.sleep(for: .milliseconds(1500))
            #expect(try await harness.sync.pmsClient.get("customers", pmsId)?["contact_phone"] == phoneBefore)
            #expect(harness.passes.count(.webhook) == 0)
            let registry = harness.metrics.registry.emitToString()
            #expect(registry.contains(#"parley_webhook_deliveries_total{system="erp",outcome="rejected"} 4"#))
            #expect(registry.contains(#"parley_webhook_deliveries_total{system="unknown",outcome="rejected"} 1"#))

            // The same delivery, signed with the ERP's secret, is accepted and synced at once.
            let started = ContinuousClock.now
            let accepted = try await harness.request(
                .POST, "/webhooks/erp", auth: .none, body: body, headers: [("X-Parley-Signature", WebhookSignature.header(body: body, secret: secret))])
            #expect(accepted.status == 202)
            try await eventually("the phone number in the PMS", timeout: .seconds(1), every: .milliseconds(10)) {
                try await harness.sync.pmsClient.get("customers", pmsId)?["contact_phone"] == "+47 111 22 333"
            }
            #expect(ContinuousClock.now - started < .seconds(1))

            // Replaying it (or an old "deleted" for a record that exists) changes nothing.
            let before = try await harness.sync.pmsClient.get("customers", pmsId)
            let replay = Self.delivery(collection: "customers", id: .number("1"), event: "deleted")
            let replayed = try await harness.request(
                .POST, "/webhooks/erp", auth: .none, body: replay, headers: [("X-Parley-Signature", WebhookSignature.header(body: replay, secret: secret))])
            #expect(replayed.status == 202)
            try await eventually("the replay to be processed") { harness.passes.count(.webhook) >= 2 }
            let link = try await harness.sync.store.links(flow: "customers", side: .left, ids: ["1"])["1"]
            #expect(link?.state == .linked)
            #expect(try await harness.sync.pmsClient.get("customers", pmsId) == before)
        }
    }

    static func delivery(collection: String, id: JSONValue, event: String = "updated") -> [UInt8] {
        let body: JSONValue = [
            "deliveryId": .string(UUID().uuidString.lowercased()), "system": "erp", "collection": .string(collection), "id": id,
            "event": .string(event), "sequence": "1", "occurredAt": "2026-01-01T00:00:00.000Z", "record": ["id": id],
        ]
        return body.jsonBytes
    }
}
