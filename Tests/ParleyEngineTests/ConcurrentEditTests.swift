import Foundation
import ParleyCore
import ParleyEngine
import ParleyTestSupport
import Testing

/// Edits that land while Parley is between reading a record and writing to it (found by the soak run:
/// scripts/soak.sh, docs/soak.md).
@Suite("Edits made while Parley works on the record")
struct ConcurrentEditTests {
    /// Runs `interference` once, just before the PMS record `id` is read: between Parley's read of the ERP
    /// change feed and its write back to the ERP.
    struct InterferingConnector: ForwardingConnector {
        let base: any Connector
        let id: String
        let interference: Once

        func fetch(datatype: String, id: String) async throws -> NativeRecord? {
            if id == self.id { try await interference.run() }
            return try await base.fetch(datatype: datatype, id: id)
        }
    }

    actor Once {
        var action: (@Sendable () async throws -> Void)?
        init(_ action: @escaping @Sendable () async throws -> Void) { self.action = action }
        func run() async throws {
            guard let action else { return }
            self.action = nil
            try await action()
        }
    }

    @Test("both sides changed; the ERP record is edited again before Parley writes back to it: no edit is lost or absorbed")
    func editBetweenFeedReadAndWriteBack() async throws {
        let harness = try await SyncHarness.start(erpSeed: 5)
        do {
            try await harness.sync()
            let pmsId = try #require(try await harness.store.links(flow: "customers", side: .left, ids: ["1"])["1"]?.rightId)
            // Different properties on both sides: the ERP change is read from its feed, then merged with the PMS
            // change, which must be written back to the ERP.
            try await harness.erpClient.patch("customers", "1", ["name": "Fjord Renamed AS"])
            try await harness.pmsClient.patch("customers", pmsId, ["contact_phone": "+47 22 33 44 55"])
            let erpClient = harness.erpClient
            let late = Once { _ = try await erpClient.patch("customers", "1", ["email": "late.edit@example.com"]) }
            var connectors: [String: any Connector] = harness.connectors.mapValues { $0 as any Connector }
            connectors["pms"] = InterferingConnector(base: try #require(harness.connectors["pms"]), id: pmsId, interference: late)
            let engine = SyncEngine(flows: harness.flows, connectors: connectors, store: harness.store)
            let first = await engine.syncPass(only: ["customers"])
            #expect(first.errors.isEmpty)
            #expect(await late.action == nil, "the interference should have run")
            let second = await engine.syncPass(only: ["customers"])
            #expect(second.errors.isEmpty)

            let erp = try #require(try await harness.erpClient.get("customers", "1"))
            let pms = try #require(try await harness.pmsClient.get("customers", pmsId))
            #expect(erp["name"]?.stringValue == "Fjord Renamed AS")
            #expect(erp["email"]?.stringValue == "late.edit@example.com")
            #expect(erp["phone"]?.stringValue == "+47 22 33 44 55")
            #expect(pms["display_name"]?.stringValue == "Fjord Renamed AS")
            #expect(pms["contact_email"]?.stringValue == "late.edit@example.com", "the late ERP edit was absorbed into the shadow: \(pms)")
            #expect(pms["contact_phone"]?.stringValue == "+47 22 33 44 55")
            let check = try await harness.convergence("customers")
            #expect(check.converged, "\(check)")
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
