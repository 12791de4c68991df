import Foundation
import ParleyCore
import ParleyEngine
import ParleyTestSupport
import Testing

@Suite("Translating references with a bounded cache")
struct ReferenceCacheTests {
    @Test("projects created from ERP pages find their customers' PMS ids without a store read per project, with a cache far smaller than the customers")
    func createsReuseThePagesLookups() async throws {
        let harness = try await SyncHarness.start(erpSeed: 40)
        let store = ObservedStore(harness.store)
        // 16 ids per direction (two generations of 8) for 40 customers; pages of 6 projects refer to at most 6.
        let report = await harness.engine(store: store) {
            $0.pageSize = 6
            $0.referenceCacheIds = 16
        }.syncPass()
        #expect(report.errors.isEmpty)
        let projects = report.flow("projects")
        #expect(projects.created[.right] == (try await harness.erpClient.all("projects")).count)
        #expect(projects.parked == 0)
        // Creating a project reads back the PMS's customer id; the page's left-to-right lookup cached it both ways.
        let customerReadsByPMSId = store.linkLookups.filter { $0.flow == "customers" && $0.side == .right && $0.ids > 0 }
        #expect(customerReadsByPMSId.count == 0, "reads of customers by PMS id, ids each: \(customerReadsByPMSId.map(\.ids))")
        // The cache was too small to hold every customer: the pass read them page by page, in bulk.
        let customerReadsByERPId = store.linkLookups.filter { $0.flow == "customers" && $0.side == .left && $0.ids > 0 }
        #expect(customerReadsByERPId.count > 40 / 6)
        let check = try await harness.convergence("projects")
        #expect(check.converged, "\(check)")
        await harness.stop()
    }
}
