import Foundation
import ParleyEngine
import ParleyReference
import ParleyTestSupport
import Synchronization
import Testing

@Suite("Creating while the source feed is read")
struct CreateWhileReadingTests {
    @Test("onboarding into an empty PMS creates each page's customers before the ERP's feed is read to its end")
    func createsBeforeTheReadEnds() async throws {
        let harness = try await SyncHarness.start(erpSeed: 30)
        let events = Mutex<[PassProgress]>([])
        let report = await harness.engine { $0.pageSize = 10 }.syncPass(only: ["customers"]) { progress in
            events.withLock { $0.append(progress) }
        }
        #expect(report.errors.isEmpty)
        let customers = report.flow("customers")
        #expect(customers.created[.right] == 30)
        #expect(customers.created[.left, default: 0] == 0)
        let reading = events.withLock { $0 }.filter { $0.phase.hasPrefix("reading ") }
        // After the first page of 10: 10 read, 10 created; the feed's other 20 records not read yet.
        let firstPage = try #require(reading.first { $0.processed == 10 && ($0.report.read[.left] ?? 0) == 10 })
        #expect(firstPage.report.created[.right] == 10)
        let check = try await harness.convergence("customers")
        #expect(check.converged, "\(check)")
        #expect(check.links == 30)
        #expect(try await harness.pmsClient.all("customers").count == 30)
        await harness.stop()
    }

    @Test("a record that has a candidate waits for matching: two ERP customers sharing one PMS customer's key are held with it")
    func candidatesWaitForMatching() async throws {
        // ERP companies 0..<20, PMS companies 5..<10: 5 shared; a second ERP customer with company 7's org number.
        let harness = try await SyncHarness.start(erpSeed: 20, pmsSeed: 5, pmsSeedOffset: 5)
        let company = SampleData.company(index: 7)
        try await harness.erpClient.create("customers", [
            "customerNumber": .string("DUP-7"), "name": .string(company.name + " (duplicate)"),
            "organizationNumber": .string(company.organizationNumber),
        ])
        let report = await harness.engine { $0.pageSize = 4 }.syncPass(only: ["customers"])
        #expect(report.errors.isEmpty)
        let customers = report.flow("customers")
        #expect(customers.linked == 4)
        #expect(customers.ambiguous == 3)
        #expect(customers.created[.right] == 15)
        #expect(try await harness.store.counts(flow: "customers").ambiguous == 3)
        #expect(try await harness.pmsClient.all("customers").count == 5 + 15)
        await harness.stop()
    }
}
