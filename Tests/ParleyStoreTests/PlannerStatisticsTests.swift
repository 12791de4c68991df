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

    /// The tables with a manual ANALYZE on record (autovacuum's own are `last_autoanalyze`).
    static func lastAnalyzed(_ store: PostgresStore) async throws -> [String] {
        var names: [String] = []
        let rows = try await store.client.query("SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL ORDER BY relname", logger: store.logger)
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }
}
