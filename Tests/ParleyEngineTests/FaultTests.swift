import Foundation
import ParleyCore
import ParleyEngine
import ParleyReference
import ParleyTestSupport
import Testing

@Suite("Failing systems")
struct FaultTests {
    @Test("20% failures, rate limits and lost answers: converges with no duplicates")
    func convergesUnderFaults() async throws {
        let faults = FaultSettings(failRate: 0.2, rateLimit: 400, acceptThenFailRate: 0.05, randomSeed: 7)
        let harness = try await SyncHarness.start(erpSeed: 40, pmsSeed: 20, pmsSeedOffset: 30, erpFaults: faults, pmsFaults: faults)
        do {
            var passes = 0
            while passes < 8 {
                passes += 1
                let report = await harness.engine().syncPass()
                if report.errors.isEmpty, report.writes == 0, report.flows.allSatisfy({ $0.deferred == 0 && $0.parked == 0 }) { break }
            }
            try await harness.erp.setFaults(.none)
            try await harness.pms.setFaults(.none)
            let quiet = try await harness.sync()
            #expect(quiet.writes == 0)
            for flow in ["customers", "projects"] {
                let check = try await harness.convergence(flow)
                #expect(check.converged, "\(check)")
            }
            // 40 + 20 companies with 10 shared: exactly 50 customers on each side, no duplicates.
            #expect(try await harness.erpClient.all("customers").count == 50)
            #expect(try await harness.pmsClient.all("customers").count == 50)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("a record the target always rejects is quarantined with the system's message; the rest converges")
    func quarantineRejectedRecord() async throws {
        let harness = try await SyncHarness.start(pmsSeed: 5)
        do {
            let customers = try await harness.pmsClient.all("customers")
            let customerId = try #require(customers.first.flatMap(SystemClient.id))
            // The PMS accepts a due date before the start date; the ERP does not.
            let bad = try await harness.pmsClient.create("projects", [
                "code": "BAD-1", "title": "Backwards", "customer_id": .string(customerId), "start_on": "2026-05-01", "due_on": "2026-01-01",
            ])
            let badId = try #require(SystemClient.id(bad))
            let report = try await harness.sync()
            #expect(report.flow("projects").quarantined == 1)
            let entry = try #require(try await harness.store.quarantineEntry(flow: "projects", side: .right, id: badId))
            #expect(entry.reason.contains("endDate"))
            #expect(entry.reason.contains("erp"))
            let check = try await harness.convergence("projects", excluding: ["right:\(badId)"])
            #expect(check.converged, "\(check)")
            #expect(try await harness.sync().writes == 0)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
