import Foundation
import ParleyConfig
import ParleyCore
import ParleyEngine
import ParleyStore
import ParleyTestSupport
import Testing

/// Several workers sharing one PostgreSQL state: the work is split, nothing is done twice, a killed worker's
/// work is finished by the others.
@Suite("Cooperating workers on PostgreSQL", .serialized)
struct CooperativeWorkersTests {
    static let enabled = TestPostgres.adminURL != nil || TestPostgres.required

    @Test("two workers onboard together: every record linked once, both did part of the work, a further pass writes nothing", .enabled(if: enabled))
    func twoWorkersShareOnboarding() async throws {
        let harness = try await SyncHarness.start(erpSeed: 300, pmsSeed: 100, pmsSeedOffset: 250)
        let url = try await TestPostgres.freshDatabase()
        let stores = [try await PostgresStore(url: url), try await PostgresStore(url: url)]
        do {
            let engines = stores.enumerated().map { index, store in
                harness.engine(store: store, coordinator: PostgresWorkCoordinator(store: store, workerId: "worker-\(index + 1)")) {
                    $0.partitions = 6
                    $0.pageSize = 40
                }
            }
            var before = 0
            for collection in ["customers", "projects"] {
                before += try await harness.erpClient.all(collection).count + harness.pmsClient.all(collection).count
            }
            async let first = engines[0].syncPass()
            async let second = engines[1].syncPass()
            let reports = await [first, second]
            #expect(reports.allSatisfy { $0.errors.isEmpty }, "\(reports.map(\.errors))")
            // ERP companies 0..<300, PMS 250..<350: 350 companies, each once per side.
            #expect(try await harness.erpClient.all("customers").count == 350)
            #expect(try await harness.pmsClient.all("customers").count == 350)
            for flow in ["customers", "projects"] {
                let check = try await harness.convergence(flow, links: stores[0])
                #expect(check.converged, "\(check)")
            }
            let totals = try await PostgresWorkCoordinator(store: stores[0]).workerTotals()
            let writesByWorker = Dictionary(grouping: totals, by: \.worker).mapValues { $0.reduce(0) { $0 + $1.writes } }
            #expect(Set(writesByWorker.keys) == ["worker-1", "worker-2"], "\(totals)")
            #expect(writesByWorker.values.allSatisfy { $0 > 0 }, "both workers should have written: \(totals)")
            // Every create the two workers reported is a record that now exists: none was made twice.
            var after = 0
            for collection in ["customers", "projects"] {
                after += try await harness.erpClient.all(collection).count + harness.pmsClient.all(collection).count
            }
            let created = reports.reduce(0) { sum, report in sum + report.flows.reduce(0) { $0 + $1.created.values.reduce(0, +) } }
            #expect(created == after - before)
            #expect(reports.reduce(0) { $0 + $1.flow("customers").created[.right, default: 0] } == 250)
            #expect(reports.reduce(0) { $0 + $1.flow("customers").created[.left, default: 0] } == 50)
            let again = await engines[1].syncPass()
            #expect(again.errors.isEmpty)
            #expect(again.writes == 0, "\(again.flows)")
        } catch {
            for store in stores { store.close() }
            await harness.stop()
            throw error
        }
        for store in stores { store.close() }
        await harness.stop()
    }

    @Test("two workers, records sharing a merge key in different partitions: one created per key, the others held with its counterpart", .enabled(if: enabled))
    func sharedMergeKeysAcrossPartitions() async throws {
        let companies = 40
        let harness = try await SyncHarness.start(erpSeed: companies)
        let url = try await TestPostgres.freshDatabase()
        let stores = [try await PostgresStore(url: url), try await PostgresStore(url: url)]
        do {
            var duplicates: [String] = []
            for index in 0..<companies { duplicates.append(try await SharedMergeKeyTests.duplicateERPCustomer(of: index, harness: harness)) }
            let engines = stores.enumerated().map { index, store in
                harness.engine(store: store, coordinator: PostgresWorkCoordinator(store: store, workerId: "worker-\(index + 1)")) {
                    $0.partitions = 8
                    $0.pageSize = 200
                }
            }
            async let first = engines[0].syncPass(only: ["customers"])
            async let second = engines[1].syncPass(only: ["customers"])
            let reports = await [first, second]
            #expect(reports.allSatisfy { $0.errors.isEmpty }, "\(reports.map(\.errors))")
            #expect(try await harness.pmsClient.all("customers").count == companies, "a company was created twice in the PMS")
            // The held ones are decided once their counterpart exists (a later generation at the latest).
            _ = await engines[1].syncPass(only: ["customers"])
            #expect(try await harness.pmsClient.all("customers").count == companies)
            let counts = try await stores[0].counts(flow: "customers")
            #expect(counts.linked == companies)
            #expect(counts.ambiguous == companies)
            #expect(counts.unmatched == 0)
        } catch {
            for store in stores { store.close() }
            await harness.stop()
            throw error
        }
        for store in stores { store.close() }
        await harness.stop()
    }

    @Test("a webhook-triggered sync waits while another worker holds the flow, and is left to the next pass if it stays busy", .enabled(if: enabled))
    func webhookSyncWaitsForTheFlow() async throws {
        let harness = try await SyncHarness.start(erpSeed: 10)
        let url = try await TestPostgres.freshDatabase()
        let stores = [try await PostgresStore(url: url), try await PostgresStore(url: url)]
        do {
            let coordinators = stores.enumerated().map { PostgresWorkCoordinator(store: $1, workerId: "worker-\($0 + 1)") }
            let patient = harness.engine(store: stores[0], coordinator: coordinators[0]) { $0.exclusiveWaitMillis = 5_000 }
            let impatient = harness.engine(store: stores[0], coordinator: coordinators[0]) { $0.exclusiveWaitMillis = 200 }
            #expect(await patient.syncPass().errors.isEmpty)
            let pmsId = try #require(try await stores[0].links(flow: "customers", side: .left, ids: ["1"])["1"]?.rightId)
            let changed = ChangedRecord(system: "erp", datatype: "customers", id: "1")

            // worker-2 holds the flow (as while it reads the feeds); a delivery that cannot wait is deferred.
            try await harness.erpClient.patch("customers", "1", ["name": "Held Back AS"])
            let released = Flag()
            let holder = Task {
                try await coordinators[1].exclusively(flow: "customers", waitMillis: 0) {
                    try await Task.sleep(for: .milliseconds(1_500))
                    await released.set()
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            let deferred = await impatient.syncRecords([changed])
            #expect(deferred.flow("customers").deferred == 1)
            #expect(try await harness.pmsClient.get("customers", pmsId)?["display_name"]?.stringValue != "Held Back AS")
            // One that can wait runs once the flow is free, not before.
            let synced = await patient.syncRecords([changed])
            #expect(await released.value, "the sync ran while another worker held the flow")
            #expect(synced.flow("customers").updated[.right] == 1)
            #expect(try await harness.pmsClient.get("customers", pmsId)?["display_name"]?.stringValue == "Held Back AS")
            _ = try await holder.value
        } catch {
            for store in stores { store.close() }
            await harness.stop()
            throw error
        }
        for store in stores { store.close() }
        await harness.stop()
    }

    actor Flag {
        private(set) var value = false
        func set() { value = true }
    }

    /// Size of the scale test; PARLEY_WORKERS_TEST_CUSTOMERS shrinks it for a quick local run.
    static var scaleCustomers: Int {
        ProcessInfo.processInfo.environment["PARLEY_WORKERS_TEST_CUSTOMERS"].flatMap(Int.init) ?? 20_000
    }

    @Test(
        "three `parley run` workers onboard 20,000 customers and 40,000 projects; one is SIGKILLed halfway; the others finish",
        .enabled(if: enabled), .timeLimit(.minutes(45)))
    func threeWorkersOneKilled() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ParleyBinary.path), "build the parley executable first (swift build)")
        let customers = Self.scaleCustomers
        let config = DefaultConfig.yaml.replacingOccurrences(of: "pollInterval: 5s", with: "pollInterval: 1s")
        #expect(config != DefaultConfig.yaml)
        let harness = try await SyncHarness.start(erpSeed: customers, configYAML: config)
        let url = try await TestPostgres.freshDatabase()
        let store = try await PostgresStore(url: url)
        let coordinator = PostgresWorkCoordinator(store: store)
        var workers: [Process] = []
        do {
            let erpProjects = try await harness.erpClient.all("projects").count
            #expect(erpProjects >= customers * 19 / 10)
            let total = customers + erpProjects
            var environment = harness.environment
            environment["PARLEY_STATE"] = url
            for index in 1...3 {
                var own = environment
                own["PARLEY_WORKER_ID"] = "worker-\(index)"
                workers.append(try ParleyBinary.start(
                    ["run", "--config", harness.configPath, "--port", "0"], environment: own, output: harness.folder + "/worker-\(index).log"))
            }
            func linked() async throws -> (customers: FlowCounts, projects: FlowCounts) {
                (try await store.counts(flow: "customers"), try await store.counts(flow: "projects"))
            }
            // Halfway: half of all records linked (the customers are done, projects are being created).
            var killedAt = 0
            var totalsAtKill: [String: Int] = [:]
            let deadline = ContinuousClock.now + .seconds(40 * 60)
            while ContinuousClock.now < deadline {
                try await Task.sleep(for: .seconds(1))
                let counts = try await linked()
                let done = counts.customers.linked + counts.projects.linked
                if killedAt == 0, done >= total / 2 {
                    #expect(workers[0].isRunning, "worker-1 should still be working when it is killed")
                    kill(workers[0].processIdentifier, SIGKILL)
                    workers[0].waitUntilExit()
                    killedAt = done
                    totalsAtKill = try await Self.writesByWorker(coordinator)
                }
                let settled = [counts.customers, counts.projects].allSatisfy { $0.pending == 0 && $0.unmatched == 0 && $0.parked == 0 }
                if killedAt > 0, done == total, settled { break }
                #expect(workers[1].isRunning && workers[2].isRunning, "the surviving workers exited")
            }
            let counts = try await linked()
            #expect(killedAt > 0 && killedAt < total, "worker-1 should be killed mid-onboarding (at \(killedAt) of \(total) links)")
            #expect(counts.customers.linked == customers)
            #expect(counts.projects.linked == erpProjects)
            for worker in workers[1...] where worker.isRunning { kill(worker.processIdentifier, SIGTERM) }
            for worker in workers[1...] { worker.waitUntilExit() }

            // No duplicates in either system, every record linked exactly once, values agree.
            #expect(try await harness.erpClient.all("customers").count == customers)
            #expect(try await harness.pmsClient.all("customers").count == customers)
            #expect(try await harness.pmsClient.all("projects").count == erpProjects)
            for flow in ["customers", "projects"] {
                let check = try await harness.convergence(flow, links: store)
                #expect(check.converged, "\(check)")
                #expect(check.links == (flow == "customers" ? customers : erpProjects))
            }
            // The work was spread: every worker did part of it, and the survivors finished after the kill.
            let final = try await Self.writesByWorker(coordinator)
            print("cooperative onboarding of \(customers) customers + \(erpProjects) projects; worker-1 killed at \(killedAt) links")
            print("writes per worker at the kill: \(totalsAtKill.sorted { $0.key < $1.key })")
            print("writes per worker at the end:  \(final.sorted { $0.key < $1.key })")
            #expect(Set(final.keys) == ["worker-1", "worker-2", "worker-3"])
            #expect(final.values.allSatisfy { $0 > 0 }, "\(final)")
            for survivor in ["worker-2", "worker-3"] {
                #expect(final[survivor, default: 0] > totalsAtKill[survivor, default: 0], "\(survivor) did no work after the kill")
            }
            // Every record was created once: the counted writes never exceed the records, and fall short only by
            // what the killed worker did inside the item it held (not marked done, so not counted; at most one
            // partition of projects, 1/8 of them).
            let counted = final.values.reduce(0, +)
            #expect(counted <= total, "\(counted) writes counted for \(total) records: an item's work was counted twice")
            #expect(counted >= total - (erpProjects / 8 + 1), "\(counted) writes counted for \(total) records")
        } catch {
            for worker in workers where worker.isRunning { kill(worker.processIdentifier, SIGKILL) }
            store.close()
            await harness.stop()
            throw error
        }
        store.close()
        await harness.stop()
    }

    static func writesByWorker(_ coordinator: PostgresWorkCoordinator) async throws -> [String: Int] {
        Dictionary(grouping: try await coordinator.workerTotals(), by: \.worker).mapValues { $0.reduce(0) { $0 + $1.writes } }
    }
}
