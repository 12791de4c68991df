import Foundation
import ParleyCore
import ParleyEngine
import ParleyReference
import ParleyTestSupport
import Testing

/// A create interrupted before its answer was recorded (a pending link), on a system that cannot replay an
/// idempotency key but can search: the next attempt adopts the one record that matches, and holds the source
/// record as ambiguous when several do, instead of creating one more.
@Suite("Adopting an interrupted create")
struct AdoptionTests {
    @Test("one PMS record matches the interrupted create: it is adopted and linked, nothing is created")
    func adoptsTheOne() async throws {
        let harness = try await SyncHarness.start(erpSeed: 3)
        do {
            let (erpId, matches) = try await Self.interruptedCreate(harness: harness, leaving: 1)
            let report = await Self.engine(harness).syncPass(only: ["customers"])
            #expect(report.errors.isEmpty)
            #expect(try await harness.pmsClient.all("customers").count == 3)
            #expect(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.rightId == matches[0])
            #expect(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.state == .linked)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("two PMS records match the interrupted create: the ERP record is held as ambiguous with both, nothing is created")
    func holdsWhenSeveral() async throws {
        let harness = try await SyncHarness.start(erpSeed: 3)
        do {
            let (erpId, matches) = try await Self.interruptedCreate(harness: harness, leaving: 2)
            let report = await Self.engine(harness).syncPass(only: ["customers"])
            #expect(report.errors.isEmpty)
            #expect(try await harness.pmsClient.all("customers").count == 4, "a third PMS record was created for one ERP customer")
            #expect(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId] == nil)
            let staged = try #require(try await harness.store.stagedRecord(flow: "customers", side: .left, id: erpId))
            #expect(staged.state == .ambiguous)
            #expect(staged.related == matches.sorted())
            #expect(staged.reason?.hasPrefix("its create was interrupted") == true)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("the search for an interrupted create fails: the ERP record is quarantined saying so, its pending link kept, nothing is created")
    func quarantinesWhenTheSearchFails() async throws {
        let harness = try await SyncHarness.start(erpSeed: 3)
        do {
            let (erpId, _) = try await Self.interruptedCreate(harness: harness, leaving: 1)
            let report = await Self.engine(harness, searchFails: true).syncPass(only: ["customers"])
            #expect(report.errors.isEmpty)
            #expect(try await harness.pmsClient.all("customers").count == 3)
            #expect(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.state == .pendingRight)
            let entry = try #require(try await harness.store.quarantineEntry(flow: "customers", side: .left, id: erpId))
            #expect(entry.reason.hasPrefix("cannot search pms.customer for the record the interrupted create of erp.customer \(erpId) may have made"))
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("a new ERP record sharing a key with a create still pending waits for it, and a dry run's plan says so")
    func dryRunShowsTheWait() async throws {
        let harness = try await SyncHarness.start(erpSeed: 3)
        do {
            let (erpId, _) = try await Self.interruptedCreate(harness: harness, leaving: 0)
            // Its search fails: quarantined, the pending link kept.
            _ = await Self.engine(harness, searchFails: true).syncPass(only: ["customers"])
            let original = try #require(try await harness.erpClient.get("customers", erpId))
            let created = try await harness.erpClient.create("customers", [
                "customerNumber": "C-SAME-KEY", "name": "Same Key AS", "organizationNumber": original["organizationNumber"] ?? .null,
            ])
            let newId = try #require(SystemClient.id(created))

            let scratch = try harness.store.copy(to: harness.folder + "/plan-\(UUID().uuidString).sqlite")
            let plan = await Self.engine(harness, searchFails: true).planning(on: scratch).syncPass(only: ["customers"])
            #expect(plan.errors.isEmpty)
            let waiting = plan.flow("customers").plan.filter { $0.id == newId }
            #expect(waiting.map(\.action) == [.park])
            #expect(waiting.first?.detail == "waits for the pending create of erp.customer \(erpId)'s counterpart: the two share a merge key")
            let pass = await Self.engine(harness, searchFails: true).syncPass(only: ["customers"])
            #expect(pass.flow("customers").created[.right] == nil)
            let staged = try #require(try await harness.store.stagedRecord(flow: "customers", side: .left, id: newId))
            #expect(staged.state == .unmatched)
            #expect(staged.reason == "waits for the pending create of erp.customer \(erpId)'s counterpart: the two share a merge key")
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("the one PMS record matching the interrupted create is linked to another ERP record: held as ambiguous, that link stands")
    func holdsWhenTheMatchIsTaken() async throws {
        let harness = try await SyncHarness.start(erpSeed: 3)
        do {
            let (erpId, matches) = try await Self.interruptedCreate(harness: harness, leaving: 1)
            var taken = StoreBatch()
            taken.links.append(Link(flow: "customers", leftId: "other", rightId: matches[0], state: .linked, updatedAtMillis: 0))
            try await harness.store.commit(taken)
            let report = await Self.engine(harness).syncPass(only: ["customers"])
            #expect(report.errors.isEmpty)
            #expect(try await harness.pmsClient.all("customers").count == 3)
            #expect(try await harness.store.links(flow: "customers", side: .right, ids: [matches[0]])[matches[0]]?.leftId == "other")
            let staged = try #require(try await harness.store.stagedRecord(flow: "customers", side: .left, id: erpId))
            #expect(staged.state == .ambiguous)
            #expect(staged.related == matches)
            #expect(staged.reason?.contains("is linked to erp.customer other") == true)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    /// Leaves the first of the three ERP customers as a crash between its create and the
    /// create's answer would: a pending link, and `count` PMS customers with its organization number (the one
    /// the create made, and a second one someone else made meanwhile). Returns its id and the PMS ids.
    static func interruptedCreate(harness: SyncHarness, leaving count: Int) async throws -> (erpId: String, matches: [String]) {
        let customers = try await harness.erpClient.all("customers")
        let first = try #require(customers.compactMap(SystemClient.id).min { Int($0) ?? 0 < Int($1) ?? 0 })
        let erp = try #require(customers.first { SystemClient.id($0) == first })
        let organizationNumber = try #require(erp["organizationNumber"]?.stringValue)
        var pending = StoreBatch()
        pending.links.append(Link(
            flow: "customers", leftId: first, rightId: nil, state: .pendingRight, idempotencyKey: "parley-customers-left-\(first)", updatedAtMillis: 0))
        try await harness.store.commit(pending)
        var matches: [String] = []
        for n in 0..<count {
            let created = try await harness.pmsClient.create("customers", [
                "display_name": .string((erp["name"]?.stringValue ?? "") + (n == 0 ? "" : " (also)")), "org_no": .string(organizationNumber),
            ])
            matches.append(try #require(SystemClient.id(created)))
        }
        return (first, matches)
    }

    static func engine(_ harness: SyncHarness, searchFails: Bool = false) -> SyncEngine {
        var connectors: [String: any Connector] = harness.connectors.mapValues { $0 as any Connector }
        if let pms = harness.connectors["pms"] { connectors["pms"] = Searchable(base: pms, fails: searchFails) }
        return SyncEngine(flows: harness.flows, connectors: connectors, store: harness.store, options: EngineOptions())
    }

    /// The PMS connector, able to search (by listing and comparing fields), as a REST or SQL connector can;
    /// with `fails`, every search is refused.
    struct Searchable: ForwardingConnector {
        let base: any Connector
        let fails: Bool

        func find(datatype: String, matching fields: [String: JSONValue]) async throws -> [NativeRecord]? {
            if fails { throw ConnectorError.rejected(system: system, status: 400, message: "search refused (test)", property: nil) }
            let all = try await base.changes(datatype: datatype, since: nil, limit: 1_000).items.compactMap { item -> NativeRecord? in
                if case .record(let record) = item, !record.deleted { record } else { nil }
            }
            return all.filter { record in fields.allSatisfy { record.fields.value(at: $0.key) == $0.value } }
        }
    }
}
