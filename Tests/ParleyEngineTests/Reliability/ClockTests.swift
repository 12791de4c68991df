import Foundation
import ParleyCore
import ParleyEngine
import ParleyReference
import ParleyTestSupport
import Testing

extension Reliability {
    /// docs/conflicts.md describes the rules these tests pin down.
    @Suite("Clocks")
    struct ClockTests {
        static let minutes5: Int64 = 5 * 60 * 1000
        static let day: Int64 = 24 * 60 * 60 * 1000

        static func pmsId(_ harness: SyncHarness, _ erpId: String) async throws -> String {
            try #require(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.rightId)
        }

        static func lastConflict(_ harness: SyncHarness, _ property: String) async throws -> ConflictEntry? {
            try await harness.store.conflicts(flow: "customers", unresolvedOnly: false, limit: 100).first { $0.property == property }
        }

        @Test("clocks minutes apart: each system's change marker decides, on every path; the loser is in the conflict log")
        func skewedClocks() async throws {
            // The ERP's clock runs five minutes behind the PMS's.
            let harness = try await SyncHarness.start(erpSeed: 3, erpFaults: FaultSettings(clockOffsetMs: -Self.minutes5))
            do {
                try await harness.sync()
                let pms1 = try await Self.pmsId(harness, "1")
                // The PMS is edited first, the ERP a moment later; by the ERP's clock its edit is older.
                try await harness.pmsClient.patch("customers", pms1, ["contact_phone": "+47 111 (PMS, earlier)"])
                try await Task.sleep(for: .milliseconds(30))
                try await harness.erpClient.patch("customers", "1", ["phone": "+47 222 (ERP, later)"])
                let report = try await harness.sync()
                #expect(report.flow("customers").conflicts == 1)
                let conflict = try #require(try await Self.lastConflict(harness, "phone"))
                #expect(conflict.winner == .right)
                #expect(conflict.rule == .newestChangeMarker)
                #expect(conflict.losingValue == .text("+47 222 (ERP, later)"))
                #expect(try await harness.erpClient.get("customers", "1")?["phone"] == "+47 111 (PMS, earlier)")
                #expect(try await harness.pmsClient.get("customers", pms1)?["contact_phone"] == "+47 111 (PMS, earlier)")

                // The same on the webhook path, whichever side's delivery comes first.
                let pms2 = try await Self.pmsId(harness, "2")
                try await harness.pmsClient.patch("customers", pms2, ["contact_phone": "+47 333 (PMS, earlier)"])
                try await Task.sleep(for: .milliseconds(30))
                try await harness.erpClient.patch("customers", "2", ["phone": "+47 444 (ERP, later)"])
                let webhook = await harness.engine().syncRecords([ChangedRecord(system: "erp", datatype: "customers", id: "2")])
                #expect(webhook.errors == [])
                let second = try #require(try await harness.store.conflicts(flow: "customers", unresolvedOnly: false, limit: 100).first { $0.leftId == "2" })
                #expect(second.winner == .right)
                #expect(second.rule == .newestChangeMarker)
                #expect(second.losingValue == .text("+47 444 (ERP, later)"))
                #expect(try await harness.erpClient.get("customers", "2")?["phone"] == "+47 333 (PMS, earlier)")

                #expect(try await harness.sync().writes == 0)
                #expect(try await harness.convergence("customers").converged)
            } catch {
                await harness.stop()
                throw error
            }
            await harness.stop()
        }

        @Test("a change marker a day in the future wins conflicts until the clocks meet; other edits still flow; every loser is logged")
        func futureChangeMarkers() async throws {
            let harness = try await SyncHarness.start(erpSeed: 3)
            do {
                try await harness.sync()
                try await harness.pms.setFaults(FaultSettings(clockOffsetMs: Self.day))
                let pms1 = try await Self.pmsId(harness, "1")
                try await harness.pmsClient.patch("customers", pms1, ["display_name": "Stamped Tomorrow AS"])
                try await Task.sleep(for: .milliseconds(30))
                try await harness.erpClient.patch("customers", "1", ["name": "Edited Today AS"])
                #expect(try await harness.sync().flow("customers").conflicts == 1)
                let conflict = try #require(try await Self.lastConflict(harness, "name"))
                #expect(conflict.winner == .right)
                #expect(conflict.rule == .newestChangeMarker)
                #expect(conflict.losingValue == .text("Edited Today AS"))
                #expect(try await harness.erpClient.get("customers", "1")?["name"] == "Stamped Tomorrow AS")

                // An edit to another property, on the side with the sane clock, is no conflict and goes through.
                try await harness.erpClient.patch("customers", "1", ["website": "https://today.example.com"])
                let plain = try await harness.sync()
                #expect(plain.flow("customers").conflicts == 0)
                #expect(try await harness.pmsClient.get("customers", pms1)?["homepage"] == "https://today.example.com")

                // The same conflict again resolves the same way: deterministic, and logged again.
                try await harness.erpClient.patch("customers", "1", ["name": "Edited Today Again AS"])
                try await harness.pmsClient.patch("customers", pms1, ["display_name": "Stamped Tomorrow Again AS"])
                #expect(try await harness.sync().flow("customers").conflicts == 1)
                let losers = try await harness.store.conflicts(flow: "customers", unresolvedOnly: false, limit: 100)
                    .filter { $0.property == "name" }.map(\.losingValue)
                #expect(Set(losers) == [.text("Edited Today AS"), .text("Edited Today Again AS")])
                #expect(try await harness.erpClient.get("customers", "1")?["name"] == "Stamped Tomorrow Again AS")
                #expect(try await harness.sync().writes == 0)
            } catch {
                await harness.stop()
                throw error
            }
            await harness.stop()
        }
    }
}
