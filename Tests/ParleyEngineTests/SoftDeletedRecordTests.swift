import Foundation
import ParleyCore
import ParleyEngine
import ParleyReference
import ParleyTestSupport
import Testing

/// A record its system still serves by id but flags deleted (a soft delete): every read treats it as gone.
@Suite("A record its system reports deleted when read")
struct SoftDeletedRecordTests {
    @Test("a webhook for a soft-deleted ERP customer that was never linked creates nothing in the PMS")
    func unlinkedIsNotCreated() async throws {
        let harness = try await SyncHarness.start()
        do {
            try await harness.sync()
            let created = try await harness.erpClient.create("customers", ["customerNumber": "C-SOFT", "name": "Soft Gone AS"])
            let erpId = try #require(SystemClient.id(created))
            let engine = Self.engine(harness, softDeleted: [erpId])

            let report = await engine.syncRecords([ChangedRecord(system: "erp", datatype: "customers", id: erpId)])
            #expect(report.errors == [])
            #expect(report.flow("customers").created.isEmpty)
            #expect(try await harness.pmsClient.all("customers").isEmpty)
            #expect(try await harness.store.stagedRecord(flow: "customers", side: .left, id: erpId) == nil)
            #expect(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId] == nil)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("a webhook for a linked ERP customer that is soft-deleted archives its PMS counterpart at once")
    func linkedIsArchived() async throws {
        let harness = try await SyncHarness.start(erpSeed: 3)
        do {
            try await harness.sync()
            let erpId = try #require(try await harness.erpClient.all("customers").compactMap(SystemClient.id).first)
            let pmsId = try #require(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.rightId)
            let engine = Self.engine(harness, softDeleted: [erpId])

            let report = await engine.syncRecords([ChangedRecord(system: "erp", datatype: "customers", id: erpId)])
            #expect(report.errors == [])
            #expect(report.flow("customers").archived == [.right: 1])
            #expect(report.flow("customers").updated.isEmpty)
            #expect(try await harness.pmsClient.get("customers", pmsId)?["archived"] == true)
            #expect(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.state == .leftDeleted)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    static func engine(_ harness: SyncHarness, softDeleted ids: Set<String>) -> SyncEngine {
        var connectors: [String: any Connector] = harness.connectors.mapValues { $0 as any Connector }
        if let erp = harness.connectors["erp"] { connectors["erp"] = SoftDeletingConnector(base: erp, ids: ids) }
        return SyncEngine(flows: harness.flows, connectors: connectors, store: harness.store, options: EngineOptions())
    }
}
