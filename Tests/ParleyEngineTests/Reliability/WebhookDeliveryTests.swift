import Foundation
import ParleyCore
import ParleyEngine
import ParleyTestSupport
import Testing

extension Reliability {
    @Suite("Webhook deliveries")
    struct WebhookDeliveryTests {
        static func erp(_ id: String, deleted: Bool = false) -> ChangedRecord {
            ChangedRecord(system: "erp", datatype: "customers", id: id, deleted: deleted)
        }

        @Test("duplicated, reordered, dropped and stale deliveries, and deliveries for records deleted since: the right end state")
        func deliveriesEndInTheRightState() async throws {
            let harness = try await SyncHarness.start(erpSeed: 6)
            do {
                try await harness.sync()
                var pms: [String: String] = [:]
                for link in try await harness.store.links(flow: "customers", after: nil, limit: 100) {
                    if let left = link.leftId, let right = link.rightId { pms[left] = right }
                }
                let engine = harness.engine()
                func pmsRecord(_ erpId: String) async throws -> JSONValue? { try await harness.pmsClient.get("customers", pms[erpId] ?? "") }

                // Two edits of one record; the delivery of the first is handled after the second edit, then both
                // arrive again, out of order and twice: every delivery re-reads the record, the newest state wins.
                try await harness.erpClient.patch("customers", "1", ["name": "Webhook One v1"])
                try await harness.erpClient.patch("customers", "1", ["name": "Webhook One v2"])
                try await harness.erpClient.patch("customers", "2", ["phone": "+47 200 00 000"])
                var report = await engine.syncRecords([Self.erp("1")])
                #expect(report.errors == [])
                #expect(try await pmsRecord("1")?["display_name"] == "Webhook One v2")
                report = await engine.syncRecords([Self.erp("2"), Self.erp("1"), Self.erp("1"), Self.erp("2")])
                #expect(report.errors == [])
                #expect(report.flow("customers").updated[.right] == 1)
                #expect(try await pmsRecord("2")?["contact_phone"] == "+47 200 00 000")
                #expect(await engine.syncRecords([Self.erp("1"), Self.erp("2")]).writes == 0)

                // A delivery for a record deleted since it was sent: the counterpart is archived (the policy).
                try await harness.erpClient.patch("customers", "4", ["name": "Soon Gone AS"])
                try await harness.erpClient.delete("customers", "4")
                report = await engine.syncRecords([Self.erp("4")])
                #expect(report.errors == [])
                #expect(report.flow("customers").archived[.right] == 1)
                #expect(try await pmsRecord("4")?["archived"] == true)

                // A record that never existed: nothing happens.
                report = await engine.syncRecords([Self.erp("9999"), ChangedRecord(system: "pms", datatype: "customers", id: UUID().uuidString)])
                #expect(report.errors == [])
                #expect(report.writes == 0)

                // A stale "deleted" for a record that exists (a replayed or misordered delivery) archives nothing.
                report = await engine.syncRecords([Self.erp("5", deleted: true)])
                #expect(report.errors == [])
                #expect(report.writes == 0)
                #expect(try await pmsRecord("5")?["archived"] == false)
                #expect(try await harness.store.links(flow: "customers", side: .left, ids: ["5"])["5"]?.state == .linked)

                // A dropped delivery: the next pass finds the change in the feed.
                try await harness.erpClient.patch("customers", "3", ["email": "dropped@example.com"])
                try await harness.sync()
                #expect(try await pmsRecord("3")?["contact_email"] == "dropped@example.com")
                #expect(try await harness.sync().writes == 0)
                let check = try await harness.convergence("customers", excluding: ["right:\(pms["4"] ?? "")"])
                #expect(check.converged, "\(check)")
            } catch {
                await harness.stop()
                throw error
            }
            await harness.stop()
        }
    }
}
