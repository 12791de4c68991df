import Foundation
import Logging
import ParleyCore
import ParleyEngine
import ParleyStore
import ParleyTestSupport
import Testing

extension Reliability {
    @Suite("Store failures", .serialized)
    struct StoreFailureTests {
        /// Whether this machine lets the tests mount a tmpfs (root in a container that allows it).
        static let canMount: Bool = {
            let probe = FileManager.default.temporaryDirectory.appendingPathComponent("parley-mount-probe-\(UUID().uuidString)").path
            guard let mount = TmpfsMount.mount(at: probe, megabytes: 1) else { return false }
            mount.unmount()
            try? FileManager.default.removeItem(atPath: probe)
            return true
        }()

        /// How the state is broken mid-pass and mended afterwards.
        struct Failure: Sendable {
            var word: String
            var inject: @Sendable () async throws -> Void
            var recover: @Sendable () async throws -> Void
        }

        @Test("the state's disk fills up mid-pass (a real tmpfs): the pass stops, nothing unrecorded is written, it resumes after",
            .enabled(if: StoreFailureTests.canMount, "mounting a tmpfs is not permitted on this machine"))
        func diskFull() async throws {
            let harness = try await SyncHarness.start(erpSeed: 30, pmsSeed: 10, pmsSeedOffset: 25)
            let mount = try #require(TmpfsMount.mount(at: harness.folder + "/tmpfs", megabytes: 16))
            do {
                let store = try SQLiteStore(path: mount.path + "/state.sqlite")
                try await Self.scenario(harness, store: store, failure: Failure(
                    word: "full",
                    inject: {
                        // An empty write-ahead log on a full disk: the next commit needs space it cannot get.
                        try await store.truncateWriteAheadLog()
                        mount.fill()
                    },
                    recover: { mount.free() }))
            } catch {
                mount.unmount()
                await harness.stop()
                throw error
            }
            mount.unmount()
            await harness.stop()
        }

        @Test("the state becomes read-only mid-pass (SQLite query_only): the pass stops, nothing unrecorded is written, it resumes after")
        func readOnly() async throws {
            let harness = try await SyncHarness.start(erpSeed: 30, pmsSeed: 10, pmsSeedOffset: 25)
            do {
                let store = try SQLiteStore(path: harness.folder + "/own-state.sqlite")
                try await Self.scenario(harness, store: store, failure: Failure(
                    word: "read-only",
                    inject: { try await store.limitWriter(.queryOnly(true)) },
                    recover: { try await store.limitWriter(.queryOnly(false)) }))
            } catch {
                await harness.stop()
                throw error
            }
            await harness.stop()
        }

        @Test("the SQLite state hits SQLITE_FULL mid-pass (a page limit, no tmpfs needed): the pass stops, nothing unrecorded is written, it resumes after")
        func pageLimitFull() async throws {
            let harness = try await SyncHarness.start(erpSeed: 30, pmsSeed: 10, pmsSeedOffset: 25)
            do {
                let store = try SQLiteStore(path: harness.folder + "/own-state.sqlite")
                try await Self.scenario(harness, store: store, failure: Failure(
                    word: "full",
                    // No page beyond those in use, and the free room taken: the next commit that needs a page
                    // gets SQLITE_FULL from SQLite, as on a full disk.
                    inject: { try await store.fillToPageLimit() },
                    recover: { try await store.freeFiller() }))
            } catch {
                await harness.stop()
                throw error
            }
            await harness.stop()
        }

        @Test("the PostgreSQL state becomes read-only mid-pass (default_transaction_read_only): the pass stops, nothing unrecorded is written, it resumes after",
            .enabled(if: TestPostgres.adminURL != nil || TestPostgres.required, "needs scripts/with-postgres.sh"))
        func postgresReadOnly() async throws {
            let harness = try await SyncHarness.start(erpSeed: 30, pmsSeed: 10, pmsSeedOffset: 25)
            let url = try await TestPostgres.freshDatabase()
            let name = try #require(URLComponents(string: url)?.path.dropFirst()).description
            let store = try await PostgresStore(url: url + "?sslmode=disable")
            /// New sessions take the database's setting: end the store's sessions so its pool opens new ones.
            @Sendable func readOnly(_ on: Bool) async throws {
                try await TestPostgres.execute([
                    "ALTER DATABASE \(name) SET default_transaction_read_only = \(on ? "on" : "off")",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)' AND pid <> pg_backend_pid()",
                ])
                try await Task.sleep(for: .milliseconds(300))
            }
            do {
                try await Self.scenario(harness, store: store, failure: Failure(
                    word: "read-only", inject: { try await readOnly(true) }, recover: { try await readOnly(false) }))
            } catch {
                store.close()
                await harness.stop()
                throw error
            }
            store.close()
            await harness.stop()
        }

        /// Every record of both systems, by collection and id.
        static func snapshot(_ harness: SyncHarness) async throws -> [String: [String: JSONValue]] {
            var result: [String: [String: JSONValue]] = [:]
            for (system, client) in [("erp", harness.erpClient), ("pms", harness.pmsClient)] {
                for collection in ["customers", "projects"] {
                    for record in try await client.all(collection) {
                        result["\(system)/\(collection)", default: [:]][record["id"].flatMap { $0.stringValue ?? $0.numberText } ?? ""] = record
                    }
                }
            }
            return result
        }

        /// Onboards, edits both systems, breaks the state before the third commit of the next pass, and checks
        /// that the pass stops with a clear error, that no system write starts after the failure, that it wrote
        /// only to the counterparts of the edited records (all linked in the state: no create, no delete), that
        /// passes while it stays broken write nothing, and that once mended
        /// everything converges with no duplicates and every edit in place.
        static func scenario(
            _ harness: SyncHarness, store sqlite: any LinkStore, failure: Failure
        ) async throws {
            let store = ObservedStore(sqlite)
            let erp = ObservedConnector(try #require(harness.connectors["erp"]))
            let pms = ObservedConnector(try #require(harness.connectors["pms"]))
            var logger = Logger(label: "parley.engine")
            logger.logLevel = .critical
            var options = EngineOptions()
            options.pageSize = 5
            // Pages of 5 records need little room; the disk-full case mounts only 16 MB.
            options.minimumStateRoomBytes = 1 << 20
            options.retryBaseDelayMillis = 20
            options.retryMaxDelayMillis = 200
            let engine = SyncEngine(flows: harness.flows, connectors: ["erp": erp, "pms": pms], store: store, options: options, logger: logger)
            func writes() -> [ContinuousClock.Instant] { erp.writes + pms.writes }

            for _ in 0..<4 where await engine.syncPass().writes > 0 {}
            #expect(await engine.syncPass().writes == 0)
            let pmsOf = { (flow: String, erpId: String) async throws -> String in
                try #require(try await sqlite.links(flow: flow, side: .left, ids: [erpId])[erpId]?.rightId)
            }
            // The last edit is long (6 kB): recording it needs new pages, so a store that cannot grow fails there.
            let edited = { (id: Int) in id == 6 ? "Edited 6 AS" + String(repeating: " Long", count: 1_200) : "Edited \(id) AS" }
            for id in 1...6 { try await harness.erpClient.patch("customers", "\(id)", ["name": .string(edited(id))]) }
            try await harness.pmsClient.patch("customers", try await pmsOf("customers", "7"), ["contact_phone": "+47 777 77 777"])
            try await harness.erpClient.patch("projects", "1", ["name": "Edited Project"])

            var expectedTargets: Set<String> = ["erp/customers/7", "pms/projects/" + (try await pmsOf("projects", "1"))]
            for id in 1...6 { expectedTargets.insert("pms/customers/" + (try await pmsOf("customers", "\(id)"))) }
            let before = try await Self.snapshot(harness)

            store.failBefore(commit: 3, failure.inject)
            let failed = await engine.syncPass()
            #expect(failed.errors.count == 1, "\(failed.errors)")
            #expect(failed.errors.first?.contains("state store") == true, "\(failed.errors)")
            #expect(failed.errors.first?.contains(failure.word) == true, "\(failed.errors)")
            let failedAt = try #require(store.failedAt)
            #expect(writes().allSatisfy { $0 < failedAt }, "a system write started after the state failed")

            // The systems before and after the failed pass: no record created or deleted, and only counterparts of
            // the edited records changed — each linked in the state, so the next pass re-reads and records it.
            let after = try await Self.snapshot(harness)
            #expect(before.mapValues { Set($0.keys) } == after.mapValues { Set($0.keys) }, "records were created or deleted")
            var changed: Set<String> = []
            for (collection, records) in after {
                for (id, record) in records where before[collection]?[id] != record { changed.insert(collection + "/" + id) }
            }
            #expect(changed.isSubset(of: expectedTargets), "written beyond the edited records: \(changed.subtracting(expectedTargets).sorted())")
            #expect(!changed.isEmpty, "the failure came before any write: the scenario tests less than it should")

            // While it stays broken, passes stop before writing anything to any system: a store that refuses every
            // write fails the cursor check, one that cannot grow fails the room check.
            let brokenBefore = writes().count
            try await harness.erpClient.patch("customers", "8", ["name": "Edited While Broken AS"])
            for _ in 0..<2 {
                let broken = await engine.syncPass()
                #expect(broken.errors.count == 1, "\(broken.errors)")
                #expect(broken.errors.first?.contains(failure.word) == true, "\(broken.errors)")
            }
            #expect(writes().count == brokenBefore)

            try await failure.recover()
            var quiet = false
            for _ in 0..<5 where !quiet {
                let report = await engine.syncPass()
                quiet = report.errors.isEmpty && report.writes == 0
            }
            #expect(quiet)
            for id in 1...6 {
                #expect(try await harness.pmsClient.get("customers", try await pmsOf("customers", "\(id)"))?["display_name"] == .string(edited(id)))
            }
            #expect(try await harness.pmsClient.get("customers", try await pmsOf("customers", "8"))?["display_name"] == "Edited While Broken AS")
            #expect(try await harness.erpClient.get("customers", "7")?["phone"] == "+47 777 77 777")
            #expect(try await harness.pmsClient.get("projects", try await pmsOf("projects", "1"))?["title"] == "Edited Project")
            // ERP companies 0..<30 and PMS 25..<35: 35 customers on each side, each linked exactly once.
            #expect(try await harness.erpClient.all("customers").count == 35)
            #expect(try await harness.pmsClient.all("customers").count == 35)
            for flow in ["customers", "projects"] {
                let links = try await sqlite.links(flow: flow, after: nil, limit: 10_000).filter { $0.state == .linked }
                let erpCount = try await harness.erpClient.all(flow).count
                let pmsCount = try await harness.pmsClient.all(flow).count
                #expect(links.count == erpCount && links.count == pmsCount, "\(flow): \(links.count) links, \(erpCount) / \(pmsCount) records")
                #expect(Set(links.compactMap(\.rightId)).count == links.count)
            }
        }
    }
}
