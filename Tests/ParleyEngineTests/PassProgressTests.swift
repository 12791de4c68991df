import Foundation
import ParleyEngine
import ParleyTestSupport
import Synchronization
import Testing

@Suite("Progress of a pass")
struct PassProgressTests {
    @Test("each phase announces itself with 0 records before its first page, in the order the pass runs them")
    func phasesStartAtZero() async throws {
        let harness = try await SyncHarness.start(erpSeed: 30)
        let events = Mutex<[PassProgress]>([])
        let report = await harness.engine { $0.pageSize = 10 }.syncPass { progress in events.withLock { $0.append(progress) } }
        #expect(report.errors.isEmpty)
        let seen = events.withLock { $0 }
        for flow in ["customers", "projects"] {
            let ofFlow = seen.filter { $0.flow == flow }
            var phases: [String] = []
            for event in ofFlow where phases.last != event.phase { phases.append(event.phase) }
            // Reading both sides (one run when both name their datatype alike; on a first pass the right one first), then matching.
            #expect((2...3).contains(phases.count) && phases.dropLast().allSatisfy { $0.hasPrefix("reading ") } && phases.last == "matching", "\(flow): \(phases)")
            // The first report of every phase run comes before any record of it.
            var previous: String?
            for event in ofFlow {
                if event.phase != previous { #expect(event.processed == 0, "\(flow) \(event.phase) began at \(event.processed)") }
                previous = event.phase
            }
            #expect(ofFlow.last?.phase == "matching")
            // Everything was new and matched nothing: created while the ERP's feed was read, so matching had none left.
            #expect(ofFlow.last?.processed == 0)
            #expect((ofFlow.last?.report.created[.right] ?? 0) > 0)
        }
        await harness.stop()
    }
}
