import Foundation
import ParleyCore
import ParleyEngine
import ParleyStore
import ParleyTestSupport
import Testing

@Suite("Moving state between stores")
struct StoreTransferTests {
    @Test("SQLite state exported into PostgreSQL: the next sync on PostgreSQL writes nothing", .enabled(if: TestPostgres.adminURL != nil || TestPostgres.required))
    func sqliteToPostgres() async throws {
        let harness = try await SyncHarness.start(erpSeed: 60, pmsSeed: 30, pmsSeedOffset: 45)
        do {
            try await harness.sync()
            let postgres = try await PostgresStore(url: try await TestPostgres.freshDatabase())
            let batches = try await StoreTransfer.copy(from: harness.store, to: postgres, flows: harness.flows.map(\.name), batchSize: 50)
            #expect(batches > 5)
            let sqliteCounts = try await harness.store.counts(flow: "customers")
            let postgresCounts = try await postgres.counts(flow: "customers")
            #expect(postgresCounts == sqliteCounts)
            #expect(try await postgres.counts(flow: "projects") == harness.store.counts(flow: "projects"))
            #expect(try await postgres.cursor(flow: "projects", side: .right) == harness.store.cursor(flow: "projects", side: .right))

            let report = await harness.engine(store: postgres).syncPass()
            #expect(report.errors.isEmpty)
            #expect(report.writes == 0)
            #expect(report.flows.allSatisfy { $0.linked == 0 && $0.created.isEmpty })

            // An edit still crosses over with the PostgreSQL state.
            try await harness.erpClient.patch("customers", "1", ["name": "Moved To Postgres AS"])
            let edit = await harness.engine(store: postgres).syncPass()
            #expect(edit.flow("customers").updated[.right] == 1)
            await #expect(throws: StoreTransfer.NotEmpty.self) {
                try await StoreTransfer.copy(from: harness.store, to: postgres, flows: harness.flows.map(\.name))
            }
            postgres.close()
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
