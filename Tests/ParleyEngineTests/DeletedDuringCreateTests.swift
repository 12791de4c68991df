import Foundation
import ParleyCore
import ParleyEngine
import ParleyReference
import ParleyTestSupport
import Testing

/// An ERP customer deleted while its create was interrupted (a pending link, the answer never recorded): the PMS
/// record the attempt made follows the delete policy (archived), no PMS record is made when the attempt made none,
/// and the deleted customer is never created back in the ERP.
@Suite("A record deleted while its create was interrupted")
struct DeletedDuringCreateTests {
    @Test("the attempt made the PMS record (found by search): it is linked, then archived; nothing comes back to the ERP")
    func madeFoundBySearch() async throws {
        let harness = try await SyncHarness.start(erpSeed: 3)
        do {
            let (erpId, matches) = try await Self.deletedDuringCreate(harness, made: .bySearch)
            try await Self.expectArchived(harness, erpId: erpId, pmsId: matches[0], engine: AdoptionTests.engine(harness))
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("the attempt made the PMS record (a contract system answers its idempotency key): it is linked, then archived")
    func madeAnsweredToTheKey() async throws {
        let harness = try await SyncHarness.start(erpSeed: 3)
        do {
            let (erpId, matches) = try await Self.deletedDuringCreate(harness, made: .withTheKey)
            try await Self.expectArchived(harness, erpId: erpId, pmsId: matches[0], engine: harness.engine())
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("the attempt made nothing (the search finds nothing): nothing is created, the pending link is removed")
    func madeNothing() async throws {
        let harness = try await SyncHarness.start(erpSeed: 3)
        do {
            let (erpId, _) = try await Self.deletedDuringCreate(harness, made: .nothing)
            let report = await AdoptionTests.engine(harness).syncPass(only: ["customers"])
            #expect(report.errors.isEmpty)
            #expect(report.flow("customers").created[.right] == 2)
            #expect(try await harness.pmsClient.all("customers").count == 2)
            #expect(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId] == nil)
            #expect(try await harness.store.stagedRecord(flow: "customers", side: .left, id: erpId) == nil)
            let audit = try await harness.store.audit(flow: "customers", side: .left, id: erpId, limit: 10)
            #expect(audit.contains { $0.note?.hasPrefix("deleted on erp.customer before its interrupted create was confirmed") == true })
            #expect(try await harness.erpClient.all("customers").count == 2)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    /// Two passes: the first links the record the attempt made and stages the delete; the second archives it.
    static func expectArchived(_ harness: SyncHarness, erpId: String, pmsId: String, engine: SyncEngine) async throws {
        let first = await engine.syncPass(only: ["customers"])
        #expect(first.errors.isEmpty)
        #expect(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.rightId == pmsId)
        let second = await engine.syncPass(only: ["customers"])
        #expect(second.errors.isEmpty)
        #expect(second.flow("customers").archived[.right] == 1)
        #expect(try await harness.pmsClient.get("customers", pmsId)?["archived"] == true)
        #expect(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.state == .leftDeleted)
        // Two new customers and the archived one; the deleted customer was not created back in the ERP.
        #expect(try await harness.pmsClient.all("customers").count == 3)
        #expect(try await harness.erpClient.all("customers").count == 2)
        #expect(await engine.syncPass(only: ["customers"]).writes == 0)
    }

    enum Made { case bySearch, withTheKey, nothing }

    /// The first ERP customer as a crash between its create and the create's answer leaves it — staged, with a
    /// pending link — and then deleted in the ERP. `made`: what the interrupted attempt left in the PMS.
    static func deletedDuringCreate(_ harness: SyncHarness, made: Made) async throws -> (erpId: String, matches: [String]) {
        var (erpId, matches) = try await AdoptionTests.interruptedCreate(harness: harness, leaving: made == .bySearch ? 1 : 0)
        let erp = try #require(try await harness.erpClient.get("customers", erpId))
        let flow = try #require(harness.flow("customers"))
        var staged = StoreBatch()
        staged.staged.append(StagedRecord(flow: "customers", side: .left, id: erpId, state: .unmatched, fields: erp, changedAtMillis: nil))
        staged.keys.append(("customers", .left, erpId, MergeKeys.keys(of: erp, side: .left, criteria: flow.mergeCriteria)))
        try await harness.store.commit(staged)
        if made == .withTheKey {
            let key = try #require(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.idempotencyKey)
            let created = try await harness.pmsClient.request(
                "POST", "/customers", ["display_name": erp["name"] ?? .null, "org_no": erp["organizationNumber"] ?? .null],
                headers: [("Idempotency-Key", key)])
            matches = [try #require(SystemClient.id(created))]
        }
        try await harness.erpClient.delete("customers", erpId)
        return (erpId, matches)
    }
}
