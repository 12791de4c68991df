import ArgumentParser
import Foundation
import Logging
import ParleyEngine
import ParleyServer
import ServiceLifecycle
import UnixSignals

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Keep syncing until SIGINT/SIGTERM, with the HTTP server: webhooks, management API, dashboard, /metrics.",
        discussion: """
            Polls every pollInterval and syncs webhook-reported changes at once. The server listens on --host/--port \
            (default: the file's server: section, else 127.0.0.1:8080); it needs a token (PARLEY_API_TOKEN, \
            server.apiToken or server.apiTokenFile) to listen anywhere but on loopback.
            """)

    @OptionGroup var options: ConfigOption
    @Option(help: "Address the HTTP server listens on (default: server.host, or 127.0.0.1).")
    var host: String?
    @Option(help: "Port of the HTTP server (default: server.port, or 8080; 0 picks a free port).")
    var port: Int?
    @Option(help: "Log format: text, or json (one object per line on standard error).")
    var logFormat: LogFormat = .text

    func run() async throws {
        LoggingSetup.bootstrapOnce(format: logFormat)
        var logger = options.logger()
        if options.logLevel == "warning" { logger.logLevel = .info }
        let runtime: Runtime
        do {
            runtime = try await Runtime.open(configPath: options.config, logger: logger)
        } catch {
            throw fail(error)
        }
        let server = runtime.serverOptions(host: host, port: port)
        let json = logFormat == .json
        let serverLogger = logger
        try await Self.serve(runtime: runtime, server: server, logger: logger, jsonLogs: json) { url in
            if json {
                serverLogger.info("serving", metadata: ["dashboard": "\(url)/", "api": "\(url)/api", "metrics": "\(url)/metrics"])
            } else {
                print("parley: dashboard \(url)/  ·  API \(url)/api  ·  metrics \(url)/metrics")
            }
        }
    }

    /// Runs the polling loop and the HTTP server in one service group until SIGINT/SIGTERM; `announce`
    /// receives the server's base URL once it listens.
    static func serve(
        runtime: Runtime, server options: ServerOptions, logger: Logger, jsonLogs: Bool = false,
        announce: @escaping @Sendable (String) -> Void
    ) async throws {
        var engineOptions = EngineOptions()
        // Several workers: a flow whose work another worker completed within the last interval is left alone.
        engineOptions.generationFreshnessMillis = runtime.config.pollIntervalMillis
        let engine = runtime.engine(engineOptions)
        let flows = runtime.flows
        let trigger = SyncTrigger()
        let metrics = ParleyMetrics(flows: flows)
        metrics.bootstrapProcessMetrics()
        let server: ParleyServer
        do {
            server = try ParleyServer(options: options, context: runtime.serverContext(engine: engine, trigger: trigger), metrics: metrics, logger: logger)
        } catch {
            await runtime.shutdown()
            throw fail(error)
        }
        let observe = server.observe
        let polling = PollingService(engine: engine, intervalMillis: runtime.config.pollIntervalMillis, trigger: trigger) { pass in
            observe(pass)
            for flowReport in pass.report.flows
            where flowReport.writes > 0 || flowReport.conflicts > 0 || flowReport.quarantined > 0 || flowReport.parked > 0 {
                let summary = ReportPrinter.summary(flowReport, flow: flows.first { $0.name == flowReport.flow })
                if jsonLogs {
                    logger.info("pass", metadata: ["kind": "\(pass.kind.rawValue)", "summary": "\(summary)"])
                } else {
                    print(summary)
                }
            }
            for error in pass.report.errors { logger.error("\(error)") }
        }
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: polling)] + server.services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        // A pass retrying an unavailable system is cancelled after this long (safe: every step is crash-safe).
        configuration.maximumGracefulShutdownDuration = .seconds(15)
        let group = ServiceGroup(configuration: configuration)
        if !jsonLogs {
            print("parley: syncing \(flows.map(\.name).joined(separator: ", ")) every \(runtime.config.pollIntervalMillis) ms; Ctrl-C to stop")
        }
        let announcer = Task {
            if let url = try? await server.baseURL() { announce(url) }
        }
        let listeners = await runtime.listenForChangeSignals(trigger)
        do {
            try await group.run()
        } catch {
            announcer.cancel()
            for listener in listeners { listener.cancel() }
            await runtime.shutdown()
            throw fail(error)
        }
        announcer.cancel()
        for listener in listeners { listener.cancel() }
        await runtime.shutdown()
        if !jsonLogs { print("parley: stopped") }
    }
}
