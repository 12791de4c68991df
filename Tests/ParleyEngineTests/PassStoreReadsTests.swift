import ParleyCore
import ParleyEngine
import ParleyReference
import ParleyTestSupport
import Testing

/// What a pass asks the state store when little or nothing changed: each store call is a round trip on a
/// PostgreSQL state, so a pass reads each cursor once and staged records only where there are some.
@Suite("Store reads of a pass")
struct PassStoreReadsTests {
    @Test("an idle pass reads each side's cursor once and no staged record; a new ERP customer is matched on the left side only")
    func idleAndNewRecordPasses() async throws {
        let harness = try await SyncHarness.start(erpSeed: 5)
        do {
            try await harness.sync()
            let store = ObservedStore(harness.store)
            let engine = harness.engine(store: store)
            let idle = await engine.syncPass(only: ["customers"])
            #expect(idle.errors.isEmpty)
            #expect(store.cursorReads == 2)
            #expect(store.stagedReads.isEmpty)

            // A record Parley is not the author of: a second ERP customer with the same org number as customer
            // 1 is staged, matched (ambiguous with the PMS counterpart already linked) and stays staged.
            let company = SampleData.company(index: 1)
            try await harness.erpClient.create("customers", [
                "customerNumber": .string("DUP-1"), "name": .string(company.name + " (duplicate)"),
                "organizationNumber": .string(company.organizationNumber),
            ])
            let next = await engine.syncPass(only: ["customers"])
            #expect(next.errors.isEmpty)
            #expect(next.flow("customers").ambiguous == 1)
            #expect(store.cursorReads == 4)
            // Matching reads the left side's staged records (one page, then the empty one after it); no deletes.
            #expect(store.stagedReads.map(\.side) == [.left, .left])
            #expect(store.stagedReads.allSatisfy { $0.states == [.unmatched, .ambiguous, .parked] })
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
