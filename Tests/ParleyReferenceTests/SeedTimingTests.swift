import Foundation
import Testing
@testable import ParleyReference

@Suite struct SeedTimingTests {
    @Test(arguments: [ReferenceSystemKind.erp, .pms])
    func startsWithAThousandCustomersQuickly(kind: ReferenceSystemKind) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        try await withReference(ReferenceOptions(kind: kind, seed: 1000)) { running, client in
            let elapsed = start.duration(to: clock.now)
            let counts = try await running.recordCounts()
            #expect(counts["customers"] == 1000)
            let expectedProjects = (0..<1000).reduce(0) { $0 + SampleData.projectCount(companyIndex: $1, system: kind) }
            #expect(counts["projects"] == expectedProjects)
            // A hang guard, not a performance claim (about 0.7 s alone in a debug build; the full suite runs
            // in parallel on two cores, so the bound is generous). Figures belong in BENCHMARKS.md.
            #expect(elapsed < .seconds(30), "starting with --seed 1000 took \(elapsed)")
            let health = try await client.get("/healthz")
            #expect(health.status == 200)
            #expect(health.json == .object(["status": .string("ok")]))
        }
    }
}
