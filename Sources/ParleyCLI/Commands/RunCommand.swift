import ArgumentParser
import Foundation
import Logging
import ParleyEngine
import ServiceLifecycle
import UnixSignals

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Keep syncing: a pass every poll interval, until SIGINT/SIGTERM.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        var logger = options.logger()
        if options.logLevel == "warning" { logger.logLevel = .info }
        let runtime: Runtime
        do {
            runtime = try await Runtime.open(configPath: options.config, logger: logger)
        } catch {
            throw fail(error)
        }
        try await Self.serve(runtime: runtime, logger: logger)
    }

    static func serve(runtime: Runtime, logger: Logger) async throws {
        let engine = runtime.engine(EngineOptions())
        let flows = runtime.flows
        let polling = PollingService(engine: engine, intervalMillis: runtime.config.pollIntervalMillis) { report in
            for flowReport in report.flows where flowReport.writes > 0 || flowReport.conflicts > 0 || flowReport.quarantined > 0 || flowReport.parked > 0 {
                print(ReportPrinter.summary(flowReport, flow: flows.first { $0.name == flowReport.flow }))
            }
            for error in report.errors { logger.error("\(error)") }
        }
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: polling)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        print("parley: syncing \(flows.map(\.name).joined(separator: ", ")) every \(runtime.config.pollIntervalMillis) ms; Ctrl-C to stop")
        do {
            try await group.run()
        } catch {
            await runtime.shutdown()
            throw fail(error)
        }
        await runtime.shutdown()
        print("parley: stopped")
    }
}
