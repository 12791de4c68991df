import Foundation
import ParleyCore
import ParleyEngine
import ParleyReference
import ParleyTestSupport
import Testing

/// A new record whose only candidate (found by its merge keys in the state) is not staged, so matching reads it
/// from its system: when it is gone, or its system refuses to give it, the record must not wait for ever.
@Suite("A candidate that cannot be read")
struct StaleCandidateTests {
    @Test("the candidate no longer exists: it stops being a candidate, and the record is created on the next pass")
    func goneCandidate() async throws {
        let harness = try await SyncHarness.start()
        do {
            let erpId = try await Self.customerWithGhostCandidate(harness, ghost: "ghost-1")

            let first = try await harness.sync()
            #expect(first.flow("customers").deferred == 1)
            #expect(first.flow("customers").created.isEmpty)
            #expect(try await harness.store.keys(flow: "customers", side: .right, ids: ["ghost-1"])["ghost-1"] ?? [] == [])
            let second = try await harness.sync()
            #expect(second.flow("customers").created == [.right: 1])
            let link = try #require(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId])
            #expect(link.state == .linked)
            #expect(link.rightId != "ghost-1")
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("the candidate's system refuses to give it: the record is quarantined saying which candidate and why")
    func refusedCandidate() async throws {
        let harness = try await SyncHarness.start()
        do {
            let erpId = try await Self.customerWithGhostCandidate(harness, ghost: "secret-1")
            var connectors: [String: any Connector] = harness.connectors.mapValues { $0 as any Connector }
            connectors["pms"] = RefusingFetch(base: try #require(harness.connectors["pms"]), id: "secret-1")
            let engine = SyncEngine(flows: harness.flows, connectors: connectors, store: harness.store, options: EngineOptions())

            let report = await engine.syncPass(only: ["customers"])
            #expect(report.errors == [])
            #expect(report.flow("customers").quarantined == 1)
            let entry = try #require(try await harness.store.quarantineEntry(flow: "customers", side: .left, id: erpId))
            #expect(entry.reason.hasPrefix("erp.customer \(erpId) matches pms.customer secret-1, which could not be read: pms rejected the record (HTTP 403)"))
            #expect(try await harness.store.stagedRecord(flow: "customers", side: .left, id: erpId) == nil)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("linking by hand to a record its system reports deleted (a soft delete) is refused as not found")
    func manualLinkToSoftDeleted() async throws {
        let harness = try await SyncHarness.start()
        do {
            try await harness.sync()
            let erp = try await harness.erpClient.create("customers", ["customerNumber": "C-SOFT", "name": "Soft AS"])
            let erpId = try #require(SystemClient.id(erp))
            let pms = try await harness.pmsClient.create("customers", ["display_name": "Soft AS"])
            let pmsId = try #require(SystemClient.id(pms))
            var connectors: [String: any Connector] = harness.connectors.mapValues { $0 as any Connector }
            connectors["pms"] = SoftDeletingConnector(base: try #require(harness.connectors["pms"]), ids: [pmsId])
            let engine = SyncEngine(flows: harness.flows, connectors: connectors, store: harness.store, options: EngineOptions())

            let error = await #expect(throws: OperatorError.self) {
                try await engine.linkManually(flow: "customers", side: .left, id: erpId, otherId: pmsId)
            }
            #expect(error.map { "\($0)" } == "\(OperatorError.recordNotFound(record: "pms.customer \(pmsId)"))")
            #expect(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId] == nil)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    /// An ERP customer, and merge keys recorded for a PMS customer `ghost` that shares them but is not staged
    /// (as for a record whose delete the PMS's feed has not reported yet).
    static func customerWithGhostCandidate(_ harness: SyncHarness, ghost: String) async throws -> String {
        try await harness.sync()
        let created = try await harness.erpClient.create("customers", ["customerNumber": "C-GHOST", "name": "Ghost AS", "organizationNumber": "912345678"])
        let erpId = try #require(SystemClient.id(created))
        let erp = try #require(try await harness.erpClient.get("customers", erpId))
        let flow = try #require(harness.flow("customers"))
        var batch = StoreBatch()
        batch.keys.append(("customers", .right, ghost, MergeKeys.keys(of: erp, side: .left, criteria: flow.mergeCriteria)))
        try await harness.store.commit(batch)
        return erpId
    }

    /// The PMS connector, refusing to read one record.
    struct RefusingFetch: ForwardingConnector {
        let base: any Connector
        let id: String

        func fetch(datatype: String, id: String) async throws -> NativeRecord? {
            if id == self.id { throw ConnectorError.rejected(system: "pms", status: 403, message: "forbidden", property: nil) }
            return try await base.fetch(datatype: datatype, id: id)
        }
    }
}
