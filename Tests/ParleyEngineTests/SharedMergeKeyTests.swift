import Foundation
import ParleyCore
import ParleyEngine
import ParleyReference
import ParleyStore
import ParleyTestSupport
import Testing

/// Two new records of one side with the same merge key and nothing to match on the other side: the first is
/// created, the second held as ambiguous with the first one's counterpart — whether a page apart or on one page,
/// while the feed is read or when matching, and in a dry run's plan.
@Suite("New records sharing a merge key")
struct SharedMergeKeyTests {
    @Test("on one page of the first read: the first is created, the second held with its counterpart, as when a page apart", arguments: [50, 10])
    func onboarding(pageSize: Int) async throws {
        let harness = try await SyncHarness.start(erpSeed: 20)
        do {
            let duplicate = try await Self.duplicateERPCustomer(of: 3, harness: harness)
            let report = await harness.engine { $0.pageSize = pageSize }.syncPass(only: ["customers"])
            #expect(report.errors.isEmpty)
            let customers = report.flow("customers")
            #expect(customers.created[.right] == 20)
            #expect(customers.ambiguous == 1)
            #expect(try await harness.pmsClient.all("customers").count == 20)
            try await Self.expectHeldWithCounterpart(duplicate, ofCompany: 3, harness: harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("two arriving in a later pass: one created, the other held; a dry run plans the same")
    func laterPass() async throws {
        let harness = try await SyncHarness.start(erpSeed: 20)
        do {
            try await harness.sync()
            let company = SampleData.company(index: 100)
            for number in ["NEW-A", "NEW-B"] {
                try await harness.erpClient.create("customers", [
                    "customerNumber": .string(number), "name": .string(company.name), "organizationNumber": .string(company.organizationNumber),
                ])
            }
            let scratch = try harness.store.copy(to: harness.folder + "/plan-\(UUID().uuidString).sqlite")
            let plan = await harness.engine().planning(on: scratch).syncPass(only: ["customers"])
            #expect(plan.errors.isEmpty)
            #expect(plan.flow("customers").plan.filter { $0.action == .create }.count == 1)
            #expect(plan.flow("customers").plan.filter { $0.action == .ambiguous }.count == 1)

            let report = try await harness.sync()
            #expect(report.flow("customers").created[.right] == 1)
            #expect(report.flow("customers").ambiguous == 1)
            #expect(try await harness.pmsClient.all("customers").count == 21)
            #expect(try await harness.store.counts(flow: "customers").ambiguous == 1)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("the first one's create fails transiently: the second waits for it instead of being created, then is held with its counterpart", arguments: [50, 10])
    func firstDeferred(pageSize: Int) async throws {
        let harness = try await SyncHarness.start(erpSeed: 20)
        do {
            let duplicate = try await Self.duplicateERPCustomer(of: 3, harness: harness)
            let organizationNumber = SampleData.company(index: 3).organizationNumber
            let original = try #require(try await harness.erpClient.all("customers").first {
                $0["organizationNumber"]?.stringValue == organizationNumber && SystemClient.id($0) != duplicate
            }.flatMap(SystemClient.id))
            var connectors: [String: any Connector] = harness.connectors.mapValues { $0 as any Connector }
            let failing = FailingCreates(base: try #require(harness.connectors["pms"]), keyPart: "-left-\(original)-")
            connectors["pms"] = failing
            var options = EngineOptions()
            options.pageSize = pageSize
            options.maxAttempts = 2
            options.retryBaseDelayMillis = 5
            let first = await SyncEngine(flows: harness.flows, connectors: connectors, store: harness.store, options: options).syncPass(only: ["customers"])
            #expect(first.errors.isEmpty)
            #expect(first.flow("customers").created[.right] == 19)
            #expect(try await harness.pmsClient.all("customers").count == 19, "the second of the key was created while the first's create was pending")
            // A dry run plans the first's create again and the second held behind it.
            let scratch = try harness.store.copy(to: harness.folder + "/plan-\(UUID().uuidString).sqlite")
            let plan = await SyncEngine(flows: harness.flows, connectors: connectors, store: harness.store, options: options)
                .planning(on: scratch).syncPass(only: ["customers"])
            let waiting = plan.flow("customers").plan.filter { $0.id == duplicate }
            #expect(waiting.map(\.action) == [.ambiguous])
            #expect(waiting.first?.detail == "shares a merge key with erp.customer \(original), whose counterpart this pass creates")
            #expect(plan.flow("customers").plan.filter { $0.action == .create }.map(\.detail) == ["from erp.customer \(original): 11 properties"])

            await failing.stopFailing()
            let second = await SyncEngine(flows: harness.flows, connectors: connectors, store: harness.store, options: options).syncPass(only: ["customers"])
            #expect(second.errors.isEmpty)
            #expect(second.flow("customers").created[.right] == 1)
            #expect(try await harness.pmsClient.all("customers").count == 20)
            #expect(try await harness.store.links(flow: "customers", side: .left, ids: [original])[original]?.state == .linked)
            try await Self.expectHeldWithCounterpart(duplicate, ofCompany: 3, harness: harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    /// A PMS connector whose creates fail as unavailable for idempotency keys containing `keyPart`, until told to stop.
    struct FailingCreates: ForwardingConnector {
        actor Switch {
            var on = true
            func off() { on = false }
        }

        let base: any Connector
        let keyPart: String
        let failing = Switch()

        func stopFailing() async { await failing.off() }

        func create(datatype: String, fields: JSONValue, idempotencyKey: String) async throws -> NativeRecord {
            if idempotencyKey.contains(keyPart), await failing.on {
                throw ConnectorError.transient(system: system, message: "unavailable (test)", retryAfterSeconds: nil)
            }
            return try await base.create(datatype: datatype, fields: fields, idempotencyKey: idempotencyKey)
        }
    }

    /// Creates a second ERP customer with company `index`'s organization number; returns its id.
    static func duplicateERPCustomer(of index: Int, harness: SyncHarness) async throws -> String {
        let company = SampleData.company(index: index)
        let created = try await harness.erpClient.create("customers", [
            "customerNumber": .string("DUP-\(index)"), "name": .string(company.name + " (duplicate)"),
            "organizationNumber": .string(company.organizationNumber),
        ])
        return try #require(SystemClient.id(created))
    }

    /// The duplicate is staged as ambiguous, naming the PMS customer created for company `index` as its candidate.
    static func expectHeldWithCounterpart(_ duplicate: String, ofCompany index: Int, harness: SyncHarness) async throws {
        let staged = try #require(try await harness.store.stagedRecord(flow: "customers", side: .left, id: duplicate))
        #expect(staged.state == .ambiguous)
        let organizationNumber = SampleData.company(index: index).organizationNumber.filter(\.isNumber)
        let counterpart = try await harness.pmsClient.all("customers").first {
            ($0["org_no"]?.stringValue ?? "").filter(\.isNumber) == organizationNumber
        }
        #expect(staged.related == [try #require(counterpart.flatMap(SystemClient.id))])
    }
}
