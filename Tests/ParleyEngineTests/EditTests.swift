import Foundation
import ParleyCore
import ParleyConfig
import ParleyEngine
import ParleyReference
import ParleyTestSupport
import Testing

@Suite("Edits on either side")
struct EditTests {
    /// A synced pair of systems with 10 ERP customers, and the PMS id of the ERP customer `erpId`.
    func linkedPair(_ harness: SyncHarness, erpId: String) async throws -> String {
        let link = try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]
        return try #require(link?.rightId)
    }

    @Test("edits propagate both ways; different properties both survive; a clear propagates")
    func editsPropagate() async throws {
        let harness = try await SyncHarness.start(erpSeed: 10)
        do {
            try await harness.sync()
            let pmsId = try await linkedPair(harness, erpId: "1")

            try await harness.erpClient.patch("customers", "1", ["name": "Renamed In ERP AS"])
            try await harness.pmsClient.patch("customers", pmsId, ["contact_phone": "+47 22 33 44 55"])
            let report = try await harness.sync()
            #expect(report.flow("customers").updated[.right] == 1)
            #expect(report.flow("customers").updated[.left] == 1)
            #expect(report.flow("customers").conflicts == 0)
            let pms = try #require(try await harness.pmsClient.get("customers", pmsId))
            let erp = try #require(try await harness.erpClient.get("customers", "1"))
            #expect(pms["display_name"] == "Renamed In ERP AS")
            #expect(erp["phone"] == "+47 22 33 44 55")
            #expect(erp["name"] == "Renamed In ERP AS")

            // A deliberate clear on a linked record propagates.
            try await harness.erpClient.patch("customers", "1", ["website": .null])
            try await harness.sync()
            let cleared = try #require(try await harness.pmsClient.get("customers", pmsId))
            #expect(cleared["homepage"] == .null)

            // E-mail: the PMS lower-cases what it stores; no loop, no conflict.
            try await harness.erpClient.patch("customers", "1", ["email": "Post@Example.COM"])
            try await harness.sync()
            let lowered = try #require(try await harness.pmsClient.get("customers", pmsId))
            #expect(lowered["contact_email"] == "post@example.com")
            let quiet = try await harness.sync()
            #expect(quiet.writes == 0)
            #expect(try await harness.convergence("customers").converged)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("the same property edited on both sides: the newest wins and the loser is in the conflict log")
    func conflictNewestWins() async throws {
        let harness = try await SyncHarness.start(erpSeed: 5)
        do {
            try await harness.sync()
            let pmsId = try await linkedPair(harness, erpId: "2")
            try await harness.erpClient.patch("customers", "2", ["phone": "+47 111"])
            try await Task.sleep(for: .milliseconds(20))
            try await harness.pmsClient.patch("customers", pmsId, ["contact_phone": "+47 222"])
            let report = try await harness.sync()
            #expect(report.flow("customers").conflicts == 1)
            let erp = try #require(try await harness.erpClient.get("customers", "2"))
            let pms = try #require(try await harness.pmsClient.get("customers", pmsId))
            #expect(erp["phone"] == "+47 222")
            #expect(pms["contact_phone"] == "+47 222")
            let conflicts = try await harness.store.conflicts(flow: "customers", unresolvedOnly: true, limit: 10)
            #expect(conflicts.count == 1)
            #expect(conflicts.first?.property == "phone")
            #expect(conflicts.first?.winner == .right)
            #expect(conflicts.first?.losingValue == .text("+47 111"))
            #expect(conflicts.first?.rule == .newestChangeMarker)
            #expect(try await harness.sync().writes == 0)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("a project created in the PMS for a PMS-only customer lands in the ERP with the right customerId")
    func projectForPMSOnlyCustomer() async throws {
        let harness = try await SyncHarness.start()
        do {
            let customer = try await harness.pmsClient.create("customers", ["display_name": "Fjordkraft Test AS", "org_no": "998877665", "country": "NOR"])
            let customerId = try #require(SystemClient.id(customer))
            let project = try await harness.pmsClient.create("projects", [
                "code": "PMS-T-1", "title": "Harbour upgrade", "customer_id": .string(customerId), "state": "in_progress",
                "budget_cents": 1_234_567, "start_on": "2026-01-05", "due_on": "2026-06-30",
            ])
            let projectId = try #require(SystemClient.id(project))
            let report = try await harness.sync()
            #expect(report.flow("customers").created[.left] == 1)
            #expect(report.flow("projects").created[.left] == 1)
            let erpCustomerId = try #require(try await harness.store.links(flow: "customers", side: .right, ids: [customerId])[customerId]?.leftId)
            let erpProjectId = try #require(try await harness.store.links(flow: "projects", side: .right, ids: [projectId])[projectId]?.leftId)
            let erpProject = try #require(try await harness.erpClient.get("projects", erpProjectId))
            #expect(erpProject["customerId"]?.int64Value == Int64(erpCustomerId))
            #expect(erpProject["status"] == "ACTIVE")
            #expect(erpProject["budget"]?.numberText.flatMap(DecimalText.init)?.description == "12345.67")
            #expect(erpProject["projectNumber"] == "PMS-T-1")
            #expect(erpProject["startDate"] == "2026-01-05")
            #expect(try await harness.sync().writes == 0)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("a project whose customer is not linked yet is parked, then resumes")
    func parkedProjectResumes() async throws {
        let harness = try await SyncHarness.start()
        do {
            let customer = try await harness.erpClient.create("customers", ["customerNumber": "C-PARK", "name": "Parking Test AS"])
            let customerId = try #require(SystemClient.id(customer))
            try await harness.erpClient.create("projects", ["projectNumber": "P-PARK", "name": "Waits", "customerId": .number(customerId)])
            // Only the projects flow: its customer is not linked yet.
            let parkedPass = await harness.engine().syncPass(only: ["projects"])
            #expect(parkedPass.flow("projects").parked == 1)
            #expect(parkedPass.flow("projects").created[.right] == nil)
            let staged = try await harness.store.staged(flow: "projects", side: .left, states: [.parked], after: nil, limit: 10)
            #expect(staged.count == 1)
            #expect(staged.first?.reason?.contains("waiting on customers") == true)
            let resumed = try await harness.sync()
            #expect(resumed.flow("customers").created[.right] == 1)
            #expect(resumed.flow("projects").created[.right] == 1)
            #expect(try await harness.store.counts(flow: "projects").parked == 0)
            #expect(try await harness.convergence("projects").converged)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("deleting a customer archives its counterpart, in both directions")
    func deletesArchive() async throws {
        let harness = try await SyncHarness.start(erpSeed: 30)
        do {
            try await harness.sync()
            // An ERP customer without projects can be deleted; delete one of each side's.
            let erpCustomer = try await harness.erpClient.create("customers", ["customerNumber": "C-DEL", "name": "Delete Me AS"])
            let erpId = try #require(SystemClient.id(erpCustomer))
            let pmsCustomer = try await harness.pmsClient.create("customers", ["display_name": "Remove Me AS", "org_no": "123123123"])
            let pmsId = try #require(SystemClient.id(pmsCustomer))
            try await harness.sync()
            let erpsPMS = try #require(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.rightId)
            let pmssERP = try #require(try await harness.store.links(flow: "customers", side: .right, ids: [pmsId])[pmsId]?.leftId)

            try await harness.erpClient.delete("customers", erpId)
            try await harness.pmsClient.delete("customers", pmsId)
            let report = try await harness.sync()
            #expect(report.flow("customers").archived[.right] == 1)
            #expect(report.flow("customers").archived[.left] == 1)
            #expect(try await harness.pmsClient.get("customers", erpsPMS)?["archived"] == true)
            #expect(try await harness.erpClient.get("customers", pmssERP)?["isActive"] == false)
            #expect(try await harness.sync().writes == 0)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("deleted on both sides at once: recorded once as already gone, nothing archived or deleted, nothing counted", arguments: ["archive", "propagate"])
    func deletedOnBothSides(policy: String) async throws {
        let yaml = DefaultConfig.yaml.replacingOccurrences(of: "    deletes: archive\n", with: "    deletes: \(policy)\n")
        let harness = try await SyncHarness.start(erpSeed: 30, configYAML: yaml)
        do {
            try await harness.sync()
            let erpCustomer = try await harness.erpClient.create("customers", ["customerNumber": "C-BOTH", "name": "Both Gone AS"])
            let erpId = try #require(SystemClient.id(erpCustomer))
            try await harness.sync()
            let pmsId = try #require(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.rightId)

            try await harness.erpClient.delete("customers", erpId)
            try await harness.pmsClient.delete("customers", pmsId)
            let report = try await harness.sync()
            #expect(report.errors.isEmpty)
            #expect(report.flow("customers").archived.isEmpty)
            #expect(report.flow("customers").deleted.isEmpty)
            #expect(report.flow("customers").quarantined == 0)
            let state = try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.state
            #expect(state == .leftDeleted || state == .rightDeleted)
            let audit = try await harness.store.audit(flow: "customers", side: .left, id: erpId, limit: 10)
            #expect(audit.filter { $0.action == .deleted }.map(\.note) == ["deleted on erp.customer; pms.customer \(pmsId) was already gone"])
            #expect(try await harness.sync().writes == 0)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("a PMS customer deleted and made again: the new one is held, naming the deleted one, and can be linked by hand in its place")
    func relinkAfterCounterpartDeleted() async throws {
        let harness = try await SyncHarness.start(erpSeed: 30)
        do {
            try await harness.sync()
            let erpCustomer = try await harness.erpClient.create("customers", ["customerNumber": "C-AGAIN", "name": "Again AS", "organizationNumber": "987654321"])
            let erpId = try #require(SystemClient.id(erpCustomer))
            try await harness.sync()
            let deletedId = try #require(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId]?.rightId)
            try await harness.pmsClient.delete("customers", deletedId)
            try await harness.sync()

            let again = try await harness.pmsClient.create("customers", ["display_name": "Again AS", "org_no": "987654321"])
            let againId = try #require(SystemClient.id(again))
            try await harness.sync()
            let held = try #require(try await harness.store.stagedRecord(flow: "customers", side: .right, id: againId))
            #expect(held.state == .ambiguous)
            #expect(held.related == [erpId])
            #expect(held.reason == "matches erp.customer \(erpId), whose counterpart pms.customer \(deletedId) was deleted; link them if this record takes its place")

            let report = try await harness.engine().linkManually(flow: "customers", side: .right, id: againId, otherId: erpId)
            #expect(report.linked == 1)
            let link = try #require(try await harness.store.links(flow: "customers", side: .left, ids: [erpId])[erpId])
            #expect(link.rightId == againId)
            #expect(link.state == .linked)
            let audit = try await harness.store.audit(flow: "customers", side: .left, id: erpId, limit: 20)
            #expect(audit.contains { $0.note == "linked manually by an operator, replacing the link to pms.customer \(deletedId), deleted since" })
            #expect(try await harness.sync().writes == 0)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("the circuit breaker stops a pass that would archive too much")
    func circuitBreaker() async throws {
        let harness = try await SyncHarness.start()
        do {
            let ids = try await harness.createERPCustomers(40, number: "C-B", name: "Breaker")
            try await harness.sync()
            for id in ids.prefix(30) { try await harness.erpClient.delete("customers", id) }
            let tripped = await harness.engine().syncPass(only: ["customers"])
            #expect(tripped.errors.count == 1)
            #expect(tripped.errors.first?.contains("circuit breaker") == true)
            #expect(tripped.flow("customers").archived.values.reduce(0, +) == 0)
            let confirmed = try await harness.sync { $0.allowMassDeletes = true }
            #expect(confirmed.flow("customers").archived[.right] == 30)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}

@Suite("The circuit breaker's window")
struct BreakerWindowTests {
    @Test("deletes arriving one webhook at a time count together: beyond the limit they wait, and an operator's pass applies them")
    func webhookDeletesCountTogether() async throws {
        let harness = try await SyncHarness.start()
        do {
            let ids = try await harness.createERPCustomers(40, number: "C-W", name: "Window")
            try await harness.sync()
            var errors: [String] = []
            for id in ids.prefix(30) {
                try await harness.erpClient.delete("customers", id)
                let report = await harness.engine().syncRecords([ChangedRecord(system: "erp", datatype: "customers", id: id, deleted: true)])
                errors += report.errors
            }
            // The limit for 40 links is 20: the first 20 are archived as they come, the other 10 wait.
            #expect(try await harness.store.removals(flow: "customers", since: 0) == 20)
            #expect(errors.count == 10)
            #expect(errors.first == "flow 'customers': circuit breaker tripped: 1 linked records reported deleted, after 20 deleted or archived in the last 10 min, against 40 links, over the limit of 20 (confirmed gone by a read); they were not deleted or archived and wait. Check the source system, then run `parley sync --allow-mass-deletes` to apply them.")
            let links = try await harness.store.links(flow: "customers", side: .left, ids: Array(ids.prefix(30)))
            #expect(ids.prefix(30).filter { links[$0]?.state == .leftDeleted }.count == 20)
            // A pass holds them too (20 in the window, 10 pending)...
            let pass = await harness.engine().syncPass(only: ["customers"])
            #expect(pass.errors.count == 1)
            #expect(pass.flow("customers").archived.isEmpty)
            // ...until an operator confirms.
            let confirmed = try await harness.sync { $0.allowMassDeletes = true }
            #expect(confirmed.flow("customers").archived[.right] == 10)
            // A window of 0 counts each delivery alone (the limit then applies per pass or delivery).
            let late = ids[30]
            try await harness.erpClient.delete("customers", late)
            let alone = await harness.engine { $0.breakerWindowMillis = 0 }.syncRecords([ChangedRecord(system: "erp", datatype: "customers", id: late, deleted: true)])
            #expect(alone.errors.isEmpty)
            #expect(alone.flow("customers").archived[.right] == 1)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}

@Suite("Targeted record sync (the webhook path)")
struct RecordSyncTests {
    @Test("syncing one changed record updates its counterpart without a pass; a new record is created; a delete archives")
    func syncOneRecord() async throws {
        let harness = try await SyncHarness.start(erpSeed: 5)
        do {
            try await harness.sync()
            let pmsId = try #require(try await harness.store.links(flow: "customers", side: .left, ids: ["3"])["3"]?.rightId)
            try await harness.erpClient.patch("customers", "3", ["name": "Webhook Renamed AS"])
            let report = await harness.engine().syncRecords([ChangedRecord(system: "erp", datatype: "customers", id: "3")])
            #expect(report.errors.isEmpty)
            #expect(report.flow("customers").updated[.right] == 1)
            #expect(try await harness.pmsClient.get("customers", pmsId)?["display_name"] == "Webhook Renamed AS")

            let created = try await harness.pmsClient.create("customers", ["display_name": "Brand New AS", "org_no": "555444333"])
            let newId = try #require(SystemClient.id(created))
            let createReport = await harness.engine().syncRecords([ChangedRecord(system: "pms", datatype: "customer", id: newId)])
            #expect(createReport.flow("customers").created[.left] == 1)

            try await harness.erpClient.delete("customers", "3")
            let deleteReport = await harness.engine().syncRecords([ChangedRecord(system: "erp", datatype: "customers", id: "3", deleted: true)])
            #expect(deleteReport.flow("customers").archived[.right] == 1)
            #expect(try await harness.pmsClient.get("customers", pmsId)?["archived"] == true)
            // The feed later reports all of it again: nothing more to do.
            #expect(try await harness.sync().writes == 0)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
