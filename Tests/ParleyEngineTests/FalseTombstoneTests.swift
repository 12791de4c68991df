import Foundation
import ParleyCore
import ParleyEngine
import ParleyReference
import ParleyTestSupport
import Testing

/// A change feed that reports a record deleted while it can still be read (a full scan that missed it, a flag
/// flipped back): its counterpart is not archived.
@Suite("A tombstone the record contradicts")
struct FalseTombstoneTests {
    @Test("the ERP feed reports a customer deleted that can still be read: nothing is archived, the link stays")
    func readableRecordIsNotDeleted() async throws {
        let harness = try await SyncHarness.start(erpSeed: 5)
        do {
            try await harness.sync()
            let erpId = try #require(try await harness.erpClient.all("customers").compactMap(SystemClient.id).first)
            let pmsId = try #require(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.rightId)
            let before = try #require(try await harness.pmsClient.get("customers", pmsId))
            var connectors: [String: any Connector] = harness.connectors.mapValues { $0 as any Connector }
            connectors["erp"] = Tombstoning(base: try #require(harness.connectors["erp"]), ids: [erpId])
            let engine = SyncEngine(flows: harness.flows, connectors: connectors, store: harness.store, options: EngineOptions())

            let report = await engine.syncPass(only: ["customers"])
            #expect(report.errors.isEmpty)
            #expect(report.flow("customers").archived.isEmpty)
            #expect(try await harness.pmsClient.get("customers", pmsId) == before)
            #expect(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.state == .linked)
            #expect(try await harness.store.stagedRecord(flow: "customers", side: .left, id: erpId) == nil)
            // Its merge keys are back: a record made on the PMS with its organization number finds it as a candidate.
            let erp = try #require(try await harness.erpClient.get("customers", erpId))
            let keys = try await harness.store.keys(flow: "customers", side: .left, ids: [erpId])[erpId] ?? []
            #expect(!keys.isEmpty)
            #expect(keys == MergeKeys.keys(of: erp, side: .left, criteria: try #require(harness.flow("customers")).mergeCriteria))
            #expect(await engine.syncPass(only: ["customers"]).writes == 0)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("a feed that reports more deletes than the circuit breaker allows, most of them readable: the real ones are archived, the flow goes on")
    func breakerCountsConfirmedDeletes() async throws {
        let harness = try await SyncHarness.start()
        do {
            let ids = try await harness.createERPCustomers(40, number: "C-T", name: "Tombstone")
            try await harness.sync()
            // A full scan that missed 30 records (over the limit of 20 for 40 links), 5 of which were really deleted.
            let reported = Array(ids.prefix(30))
            let deleted = Array(reported.prefix(5))
            for id in deleted { try await harness.erpClient.delete("customers", id) }
            let pmsIds = try await harness.store.links(flow: "customers", side: .left, ids: reported).mapValues { $0.rightId }
            var connectors: [String: any Connector] = harness.connectors.mapValues { $0 as any Connector }
            connectors["erp"] = Tombstoning(base: try #require(harness.connectors["erp"]), ids: reported)
            let engine = SyncEngine(flows: harness.flows, connectors: connectors, store: harness.store, options: EngineOptions())

            let report = await engine.syncPass(only: ["customers"])
            #expect(report.errors == [])
            #expect(report.flow("customers").archived == [.right: 5])
            let links = try await harness.store.links(flow: "customers", side: .left, ids: reported)
            #expect(Set(reported.filter { links[$0]?.state == .leftDeleted }) == Set(deleted))
            #expect(Set(reported.filter { links[$0]?.state == .linked }) == Set(reported.dropFirst(5)))
            for id in reported.dropFirst(5) {
                let pmsId = try #require(pmsIds[id] ?? nil)
                let pms = try #require(try await harness.pmsClient.get("customers", pmsId))
                #expect(pms["archived"] == nil || pms["archived"] == .bool(false))
            }
            // The same feed again: the 25 readable records are confirmed again, nothing more happens.
            let again = await engine.syncPass(only: ["customers"])
            #expect(again.errors == [])
            #expect(again.writes == 0)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    /// The ERP connector, adding a tombstone for each of `ids` to every customers feed page it answers.
    struct Tombstoning: ForwardingConnector {
        let base: any Connector
        let ids: [String]

        func changes(datatype: String, since cursor: String?, limit: Int) async throws -> ChangePage {
            var page = try await base.changes(datatype: datatype, since: cursor, limit: limit)
            if datatype == "customer" { page.items += ids.map { .record(NativeRecord(id: $0, fields: ["id": .string($0)], deleted: true)) } }
            return page
        }
    }
}
