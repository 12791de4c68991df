import ArgumentParser
import Foundation
import Logging
import ParleyBench
import ParleyConfig
import ParleyEngine

/// `parley bench latency`: the run service exactly as `parley run` wires it (polling loop and HTTP server
/// with webhook receivers, registered with both reference systems), measured from the outside.
struct BenchLatencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract: "Propagation latency with `parley run` and webhooks: edits at a steady rate, alternating ERP -> PMS and PMS -> ERP.")

    @Option(help: "Measured edits (after a warm-up of 20).") var edits = 1_000
    @Option(help: "Edits started per second.") var rate = 20.0
    @Option(help: "Customers seeded in the ERP and onboarded before measuring.") var customers = 200

    func run() async throws {
        LoggingSetup.bootstrapOnce(format: .json)
        var benchLogger = Logger(label: "parley.bench")
        benchLogger.logLevel = .error
        let logger = benchLogger
        var options = LatencyBenchmark.Options()
        options.edits = edits
        options.rate = rate
        options.customers = customers
        let result = try await LatencyBenchmark.run(options) { erpURL, pmsURL, folder in
            try await Self.startParley(erpURL: erpURL, pmsURL: pmsURL, folder: folder, logger: logger)
        }
        func ms(_ value: Double) -> String { format(value, 1) }
        print("| \(result.edits) edits at \(format(result.rate, 0))/s | \(result.landed.count) | \(result.lost) | \(ms(result.percentile(50))) | \(ms(result.percentile(95))) | \(ms(result.percentile(99))) | \(ms(result.landed.max() ?? .nan)) |")
    }

    /// The default configuration with both webhook secrets set and a one-hour polling interval, so that
    /// only webhooks move edits across during the measurement; served by `RunCommand.serve`.
    static func startParley(erpURL: String, pmsURL: String, folder: String, logger: Logger) async throws -> @Sendable () async -> Void {
        let yaml = DefaultConfig.yaml.replacingOccurrences(of: "pollInterval: 5s", with: "pollInterval: 1h")
        guard yaml != DefaultConfig.yaml else { throw ValidationError("the default configuration no longer has 'pollInterval: 5s'") }
        let configPath = folder + "/parley.yaml"
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["PARLEY_ERP_URL"] = erpURL
        environment["PARLEY_PMS_URL"] = pmsURL
        environment["PARLEY_STATE"] = folder + "/parley-state.sqlite"
        environment["PARLEY_ERP_WEBHOOK_SECRET"] = DemoCommand.randomToken()
        environment["PARLEY_PMS_WEBHOOK_SECRET"] = DemoCommand.randomToken()
        let runtime = try await Runtime.open(configPath: configPath, logger: logger, environment: environment)
        let server = runtime.serverOptions(host: "127.0.0.1", port: 0, environment: [:])
        let (urls, sink) = AsyncStream.makeStream(of: String.self)
        let task = Task {
            defer { sink.finish() }
            try await RunCommand.serve(runtime: runtime, server: server, logger: logger, jsonLogs: true) { url in
                sink.yield(url)
                sink.finish()
            }
        }
        var served = false
        for await _ in urls {
            served = true
            break
        }
        guard served else { throw ValidationError("parley run did not start serving") }
        // Stopped the way an operator stops `parley run`: SIGTERM, which RunCommand.serve's service group
        // turns into a graceful shutdown (the reference systems in this process do not listen for it).
        // Cancelling the task instead would not end the polling loop gracefully.
        return {
            kill(getpid(), SIGTERM)
            _ = try? await task.value
        }
    }
}
