import Foundation
import ParleyCore
import ParleyEngine
import ParleyReference
import ParleyTestSupport
import Testing

/// The other system refuses to archive or delete the counterpart of a deleted record: that record is quarantined
/// with the refusal, its link stays active (so retrying it applies the policy again), and the flow's other deletes
/// go through.
@Suite("A refused archive or delete")
struct RefusedDeleteTests {
    @Test("the PMS refuses to archive: the ERP delete is quarantined, the link stays active, a retry archives it")
    func refusedArchive() async throws {
        let harness = try await SyncHarness.start(erpSeed: 5)
        do {
            let (kept, refused) = try await Self.twoLinkedCustomers(harness)
            try await harness.erpClient.delete("customers", kept.erp)
            try await harness.erpClient.delete("customers", refused.erp)

            let report = await Self.engine(harness, flows: harness.flows, refusing: refused.pms).syncPass(only: ["customers"])
            #expect(report.errors.isEmpty)
            #expect(report.flow("customers").archived[.right] == 1)
            #expect(report.flow("customers").quarantined == 1)
            #expect(try await harness.pmsClient.get("customers", kept.pms)?["archived"] == true)
            #expect(try await harness.pmsClient.get("customers", refused.pms)?["archived"] == false)
            let entry = try #require(try await harness.store.quarantineEntry(flow: "customers", side: .left, id: refused.erp))
            #expect(entry.reason.hasPrefix("pms.customer refused to archive \(refused.pms) after erp.customer \(refused.erp) was deleted"))
            #expect(try await Self.state(harness, refused.erp) == .linked)
            #expect(try await Self.state(harness, kept.erp) == .leftDeleted)

            // Once the PMS takes it, retrying the quarantined record archives the counterpart.
            let retried = try await harness.engine().retryQuarantined(flow: "customers", side: .left, id: refused.erp)
            #expect(retried.archived[.right] == 1)
            #expect(try await harness.pmsClient.get("customers", refused.pms)?["archived"] == true)
            #expect(try await Self.state(harness, refused.erp) == .leftDeleted)
            #expect(try await harness.store.quarantineEntry(flow: "customers", side: .left, id: refused.erp) == nil)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("the PMS refuses one propagated delete: it is quarantined, the other delete is applied and recorded")
    func refusedPropagatedDelete() async throws {
        let harness = try await SyncHarness.start(erpSeed: 5)
        do {
            let (kept, refused) = try await Self.twoLinkedCustomers(harness)
            try await harness.erpClient.delete("customers", kept.erp)
            try await harness.erpClient.delete("customers", refused.erp)
            let flows = harness.flows.map { flow in
                var flow = flow
                if flow.name == "customers" { flow.deletes = .propagate }
                return flow
            }

            let report = await Self.engine(harness, flows: flows, refusing: refused.pms).syncPass(only: ["customers"])
            #expect(report.errors.isEmpty)
            #expect(report.flow("customers").deleted[.right] == 1)
            #expect(report.flow("customers").quarantined == 1)
            #expect(try await harness.pmsClient.get("customers", kept.pms) == nil)
            #expect(try await harness.pmsClient.get("customers", refused.pms) != nil)
            let entry = try #require(try await harness.store.quarantineEntry(flow: "customers", side: .left, id: refused.erp))
            #expect(entry.reason.hasPrefix("pms.customer refused to delete \(refused.pms) after erp.customer \(refused.erp) was deleted"))
            #expect(try await Self.state(harness, refused.erp) == .linked)
            #expect(try await Self.state(harness, kept.erp) == .leftDeleted)
            // Nothing is left staged: the next pass neither retries the refused delete nor fails on it.
            let next = await Self.engine(harness, flows: flows, refusing: refused.pms).syncPass(only: ["customers"])
            #expect(next.errors.isEmpty)
            #expect(next.flow("customers").quarantined == 0)
            #expect(next.writes == 0)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    /// Two new ERP customers without projects (which the reference ERP lets one delete), synced: their ERP and PMS ids.
    static func twoLinkedCustomers(_ harness: SyncHarness) async throws -> (kept: (erp: String, pms: String), refused: (erp: String, pms: String)) {
        try await harness.sync()
        var pairs: [(erp: String, pms: String)] = []
        var erpIds: [String] = []
        for n in 0..<2 {
            let created = try await harness.erpClient.create("customers", ["customerNumber": .string("C-DEL-\(n)"), "name": .string("Delete \(n) AS")])
            erpIds.append(try #require(SystemClient.id(created)))
        }
        try await harness.sync()
        for erpId in erpIds {
            let pmsId = try #require(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.rightId)
            pairs.append((erpId, pmsId))
        }
        return (pairs[0], pairs[1])
    }

    static func state(_ harness: SyncHarness, _ erpId: String) async throws -> LinkState? {
        try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.state
    }

    static func engine(_ harness: SyncHarness, flows: [FlowDefinition], refusing pmsId: String) -> SyncEngine {
        var connectors: [String: any Connector] = harness.connectors.mapValues { $0 as any Connector }
        if let pms = harness.connectors["pms"] { connectors["pms"] = Refusing(base: pms, id: pmsId) }
        return SyncEngine(flows: flows, connectors: connectors, store: harness.store, options: EngineOptions())
    }

    /// The PMS connector, refusing any write to or delete of one record (as a system with a rule against it would).
    struct Refusing: ForwardingConnector {
        let base: any Connector
        let id: String

        func update(datatype: String, id: String, fields: JSONValue, ifMatch: String?) async throws -> NativeRecord {
            if id == self.id { throw ConnectorError.rejected(system: system, status: 409, message: "record is locked (test)", property: nil) }
            return try await base.update(datatype: datatype, id: id, fields: fields, ifMatch: ifMatch)
        }

        func delete(datatype: String, id: String) async throws {
            if id == self.id { throw ConnectorError.rejected(system: system, status: 409, message: "record is locked (test)", property: nil) }
            try await base.delete(datatype: datatype, id: id)
        }
    }
}
