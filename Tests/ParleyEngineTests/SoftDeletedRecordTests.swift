import Foundation
import ParleyCore
import ParleyEngine
import ParleyReference
import ParleyTestSupport
import Testing

/// A record its system still serves by id but flags deleted (a soft delete): every read treats it as gone; and a
/// deleted record is read once.
@Suite("Records read as deleted")
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

    @Test("a webhook's delete reads the deleted record once (the read that found it gone is not repeated)")
    func deleteReadOnce() async throws {
        let harness = try await SyncHarness.start(erpSeed: 3)
        do {
            try await harness.sync()
            let erpId = try #require(try await harness.erpClient.all("customers").compactMap(SystemClient.id).first)
            try await harness.erpClient.delete("customers", erpId)
            let reads = ReadCounter()
            var connectors: [String: any Connector] = harness.connectors.mapValues { $0 as any Connector }
            connectors["erp"] = CountingReads(base: try #require(harness.connectors["erp"]), counter: reads)
            let engine = SyncEngine(flows: harness.flows, connectors: connectors, store: harness.store, options: EngineOptions())

            let report = await engine.syncRecords([ChangedRecord(system: "erp", datatype: "customers", id: erpId, deleted: true)])
            #expect(report.errors == [])
            #expect(report.flow("customers").archived == [.right: 1])
            #expect(await reads.count(of: erpId) == 1)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    actor ReadCounter {
        private var counts: [String: Int] = [:]
        func add(_ id: String) { counts[id, default: 0] += 1 }
        func count(of id: String) -> Int { counts[id] ?? 0 }
    }

    struct CountingReads: ForwardingConnector {
        let base: any Connector
        let counter: ReadCounter

        func fetch(datatype: String, id: String) async throws -> NativeRecord? {
            await counter.add(id)
            return try await base.fetch(datatype: datatype, id: id)
        }
    }

    static func engine(_ harness: SyncHarness, softDeleted ids: Set<String>) -> SyncEngine {
        var connectors: [String: any Connector] = harness.connectors.mapValues { $0 as any Connector }
        if let erp = harness.connectors["erp"] { connectors["erp"] = SoftDeletingConnector(base: erp, ids: ids) }
        return SyncEngine(flows: harness.flows, connectors: connectors, store: harness.store, options: EngineOptions())
    }
}
