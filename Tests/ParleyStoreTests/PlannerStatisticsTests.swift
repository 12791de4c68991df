import ParleyCore
@testable import ParleyStore
import ParleyTestSupport
import PostgresNIO
import Testing

/// The PostgreSQL store refreshes the planner's statistics itself after writing many rows, so that look-ups by
/// id use their index right after an onboarding instead of waiting for autovacuum.
@Suite("PostgreSQL state: planner statistics")
struct PlannerStatisticsTests {
    @Test("statistics are due once the rows written since the last refresh reach what was written before it, at least the minimum")
    func thresholds() {
        let statistics = PlannerStatistics(minimumRows: 100)
        #expect(!statistics.wrote(60))
        #expect(statistics.wrote(40))  // 100 written: the minimum
        #expect(!statistics.wrote(99))
        #expect(statistics.wrote(1))  // 100 more (200 in all)
        #expect(!statistics.wrote(150))
        #expect(statistics.wrote(50))  // 200 more: what was written before
        #expect(statistics.wrote(10_000))
    }

    @Test("after a large commit the store has analyzed its tables; after a small one it has not", .enabled(if: TestPostgres.adminURL != nil || TestPostgres.required))
    func analyzesAfterLargeCommits() async throws {
        let store = try await PostgresStore(url: try await TestPostgres.freshDatabase())
        do {
            var small = StoreBatch()
            small.keys = [("customers", .left, "0", ["0:k0"])]
            try await store.commit(small)
            #expect(try await Self.lastAnalyzed(store).isEmpty)

            var large = StoreBatch()
            for n in 1...600 {
                large.links.append(Link(flow: "customers", leftId: "\(n)", rightId: "r\(n)", state: .linked, updatedAtMillis: 0))
                large.keys.append(("customers", .left, "\(n)", ["0:k\(n)"]))
            }
            try await store.commit(large)
            #expect(try await Self.lastAnalyzed(store) == ["audit", "links", "record_keys", "staged"])
        } catch {
            store.close()
            throw error
        }
        store.close()
    }

    @Test("a refresh that would wait behind another session's lock gives up within a moment, with a warning; the commit stands", .enabled(if: TestPostgres.adminURL != nil || TestPostgres.required))
    func givesUpBehindALock() async throws {
        let log = CapturedLog()
        let store = try await PostgresStore(url: try await TestPostgres.freshDatabase(), logger: log.logger(level: .warning))
        let holding = Holding()
        // As a long VACUUM or another worker's ANALYZE would: the lock ANALYZE needs, held for seconds.
        let holder = Task {
            try await store.client.withTransaction(logger: store.logger) { connection in
                try await connection.query("LOCK TABLE record_keys IN SHARE UPDATE EXCLUSIVE MODE", logger: store.logger)
                await holding.set()
                try await Task.sleep(for: .seconds(10))
            }
        }
        do {
            while !(await holding.value) { try await Task.sleep(for: .milliseconds(10)) }
            var large = StoreBatch()
            for n in 1...600 {
                large.links.append(Link(flow: "customers", leftId: "\(n)", rightId: "r\(n)", state: .linked, updatedAtMillis: 0))
                large.keys.append(("customers", .left, "\(n)", ["0:k\(n)"]))
            }
            let started = ContinuousClock.now
            try await store.commit(large)
            #expect(started.duration(to: .now) < .seconds(3))
            #expect(try await store.links(flow: "customers", side: .left, ids: ["600"])["600"]?.rightId == "r600")
            #expect(try await store.ids(flow: "customers", side: .left, keys: ["0:k600"]) == ["0:k600": ["600"]])
            #expect(log.entries.contains { $0.message == "could not refresh the planner's statistics" })
        } catch {
            holder.cancel()
            store.close()
            throw error
        }
        holder.cancel()
        _ = try? await holder.value
        store.close()
    }

    actor Holding {
        private(set) var value = false
        func set() { value = true }
    }

    /// The tables with a manual ANALYZE on record (autovacuum's own are `last_autoanalyze`).
    static func lastAnalyzed(_ store: PostgresStore) async throws -> [String] {
        var names: [String] = []
        let rows = try await store.client.query("SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL ORDER BY relname", logger: store.logger)
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }
}
