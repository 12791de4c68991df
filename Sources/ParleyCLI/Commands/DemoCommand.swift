import ArgumentParser
import Foundation
import Logging
import ParleyConfig
import ParleyEngine
import ParleyReference

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start the bundled Custom ERP and Custom PMS (seeded, free ports, temp state), sync them, keep syncing.")

    @Option(help: "Customers to seed into the ERP (the PMS gets about half as many, a third of them shared).")
    var seed = 200
    @Flag(help: "Run one pass and exit instead of syncing until interrupted.")
    var once = false
    @Option(help: "Log level.") var logLevel = "warning"

    func run() async throws {
        LoggingSetup.bootstrapOnce()
        var logger = Logger(label: "parley.demo")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-demo-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let pmsCount = max(seed / 2, 1)
        let erp = try await RunningReference.start(
            ReferenceOptions(kind: .erp, dbPath: folder + "/erp.sqlite", seed: seed), logger: logger)
        let pms = try await RunningReference.start(
            ReferenceOptions(kind: .pms, dbPath: folder + "/pms.sqlite", seed: pmsCount, seedOffset: max(seed - pmsCount / 3, 0)), logger: logger)
        let configPath = folder + "/parley.yaml"
        try DefaultConfig.yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
        print("""
            Custom ERP  \(erp.baseURL)  (\(seed) customers seeded)
            Custom PMS  \(pms.baseURL)  (\(pmsCount) customers seeded, about a third of them also in the ERP)
            config      \(configPath)
            state       \(folder)/parley-state.sqlite
            """)
        var environment = ProcessInfo.processInfo.environment
        environment["PARLEY_ERP_URL"] = erp.baseURL
        environment["PARLEY_PMS_URL"] = pms.baseURL
        environment["PARLEY_STATE"] = folder + "/parley-state.sqlite"
        // Webhooks make edits cross over at once (polling stays on as the safety net).
        environment["PARLEY_ERP_WEBHOOK_SECRET"] = Self.randomToken()
        environment["PARLEY_PMS_WEBHOOK_SECRET"] = Self.randomToken()
        let runtime: Runtime
        do {
            runtime = try await Runtime.open(configPath: configPath, logger: logger, environment: environment)
        } catch {
            await erp.stop()
            await pms.stop()
            throw fail(error)
        }
        let progress = ProgressPrinter()
        let started = Date()
        let report = await runtime.engine(EngineOptions()).syncPass { progress.update($0) }
        progress.finish()
        print("first pass (\(String(format: "%.1f", Date().timeIntervalSince(started))) s):")
        for flowReport in report.flows {
            print("  " + ReportPrinter.summary(flowReport, flow: runtime.flows.first { $0.name == flowReport.flow }))
        }
        for error in report.errors { print("  error: \(error)") }
        if once {
            let second = await runtime.engine(EngineOptions()).syncPass()
            print("second pass: \(second.writes) writes (nothing left to do)")
            await runtime.shutdown()
            await erp.stop()
            await pms.stop()
            if !report.errors.isEmpty || !second.errors.isEmpty { throw ExitCode.failure }
            return
        }
        print("""

            Edit a record on either side and watch it cross over, e.g.:
              curl -s -X PATCH \(erp.baseURL)/customers/1 -H 'Content-Type: application/json' -d '{"phone":"+47 555 01 234"}'
              curl -s \(pms.baseURL)/customers | head -c 600
            """)
        let token = Self.randomToken()
        let server = runtime.serverOptions(host: "127.0.0.1", port: 0, environment: ["PARLEY_API_TOKEN": token])
        try await RunCommand.serve(runtime: runtime, server: server, logger: logger) { url in
            print("""

                dashboard   \(url)/login?token=\(token)
                API token   \(token)   (e.g. curl -H 'Authorization: Bearer \(token)' \(url)/api/flows)
                metrics     \(url)/metrics (same token)
                """)
        }
        await erp.stop()
        await pms.stop()
    }

    /// 32 random hex digits (demo API token and webhook secrets).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
