import Foundation
import ParleyBench
import ParleyCore
import ParleyTestSupport
import Testing

/// `parley bench engine` measures the embedded SQLite state by default and a PostgreSQL state with `--state`:
/// both run the whole scenario and leave exactly the links it made.
@Suite("Engine benchmark states")
struct BenchStateTests {
    @Test("on a SQLite state: onboarding, incremental passes and the store floor record every link")
    func sqlite() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await expectRunsOn(.sqlite(path: folder + "/state.sqlite"), floor: .sqlite(path: folder + "/floor.sqlite"))
    }

    @Test(
        "on a PostgreSQL state: onboarding, incremental passes and the store floor record every link",
        .enabled(if: TestPostgres.adminURL != nil || TestPostgres.required, "needs scripts/with-postgres.sh"))
    func postgres() async throws {
        try await expectRunsOn(.postgres(url: try await TestPostgres.freshDatabase()), floor: .postgres(url: try await TestPostgres.freshDatabase()))
    }

    func expectRunsOn(_ state: BenchState, floor floorState: BenchState) async throws {
        let records = 250
        let engine = try await state.open()
        defer { engine.close() }
        let figures = try await EngineBenchmarks.onboardingAndIncremental(records: records, changes: [1, 20], store: engine.store, createdIds: .uuid)
        #expect(figures.map(\.records).prefix(4) == [records, 0, 1, 20])
        #expect(figures.first?.label == "onboarding")
        let counts = try await engine.store.counts(flow: "customers")
        #expect(counts.linked == records)
        #expect(counts.unmatched == 0 && counts.parked == 0 && counts.quarantined == 0)
        // Which created id a record got depends on the order its page's concurrent creates reached the target.
        let target = try #require(try await engine.store.links(flow: "customers", side: .left, ids: ["0"])["0"]?.rightId)
        #expect(Set((0..<records).map(CreatedIds.uuid.id)).contains(target))
        #expect(try await engine.store.links(flow: "customers", side: .right, ids: [target])[target]?.leftId == "0")

        let floorStore = try await floorState.open()
        defer { floorStore.close() }
        let floor = try await StoreFloor.onboarding(records: records, pageSize: 100, store: floorStore.store, createdIds: .uuid)
        #expect(floor.records == records)
        #expect(try await floorStore.store.counts(flow: "customers").linked == records)
    }
}
