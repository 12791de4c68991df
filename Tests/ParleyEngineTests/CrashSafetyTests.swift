import Foundation
import ParleyCore
import ParleyEngine
import ParleyTestSupport
import Testing

@Suite("Crash safety", .serialized)
struct CrashSafetyTests {
    @Test("parley sync killed with SIGKILL 20 times during onboarding: no duplicates, nothing lost, converges")
    func killedDuringOnboarding() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ParleyBinary.path), "build the parley executable first (swift build)")
        let harness = try await SyncHarness.start(erpSeed: 300, pmsSeed: 100, pmsSeedOffset: 250)
        var random = SeededRandom(state: 2026)
        let log = harness.folder + "/crash.log"
        do {
            var killedWhileRunning = 0
            for _ in 0..<20 {
                let process = try ParleyBinary.start(["sync", "--config", harness.configPath], environment: harness.environment, output: log)
                try await Task.sleep(for: .milliseconds(Int.random(in: 150...900, using: &random)))
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    killedWhileRunning += 1
                }
                process.waitUntilExit()
            }
            #expect(killedWhileRunning >= 10, "the kills should land mid-pass")
            let finish = try await ParleyBinary.run(["sync", "--config", harness.configPath], environment: harness.environment)
            #expect(finish.status == 0, "\(finish.output)")
            let quiet = try await harness.sync()
            #expect(quiet.writes == 0)
            // ERP companies 0..<300, PMS 250..<350: 350 distinct companies, each exactly once per side.
            #expect(try await harness.erpClient.all("customers").count == 350)
            #expect(try await harness.pmsClient.all("customers").count == 350)
            for flow in ["customers", "projects"] {
                let check = try await harness.convergence(flow)
                #expect(check.converged, "\(check)")
            }
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
