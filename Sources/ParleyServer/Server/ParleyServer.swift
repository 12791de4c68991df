import Foundation
import Hummingbird
import Logging
import ParleyCore
import ParleyEngine
import ServiceLifecycle

/// Parley as a service: webhook receivers, the management API, the dashboard, `/metrics`, `/healthz` and
/// `/readyz`, served by Hummingbird. Run `services` in the same `ServiceGroup` as the `PollingService`
/// that shares `context.trigger`:
///
/// ```swift
/// let server = try ParleyServer(options: options, context: context, metrics: metrics, logger: logger)
/// let polling = PollingService(engine: engine, intervalMillis: 5_000, trigger: trigger, observer: server.observe)
/// let group = ServiceGroup(configuration: .init(services: [polling] + server.services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
/// try await group.run()
/// ```
public struct ParleyServer: Sendable {
    public let options: ServerOptions
    public let metrics: ParleyMetrics
    let context: ServerContext
    let state = ServerState()
    let logger: Logger

    /// Checks the options: without a token the server only listens on a loopback address.
    public init(options: ServerOptions, context: ServerContext, metrics: ParleyMetrics, logger: Logger) throws {
        if options.apiToken?.isEmpty ?? true, !Loopback.contains(options.host) {
            throw ServerError.unauthenticatedNonLoopback(host: options.host)
        }
        if let publicURL = options.publicURL {
            guard let url = URL(string: publicURL), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
                throw ServerError.invalidPublicURL(publicURL)
            }
        }
        self.options = options
        self.context = context
        self.metrics = metrics
        self.logger = logger
    }

    /// The HTTP server and the webhook registration, to run next to the polling service.
    public var services: [any Service] {
        [HTTPService(application: application(), options: options, state: state), registration]
    }

    var registration: WebhookRegistration {
        WebhookRegistration(context: context, options: options, state: state, logger: logger)
    }

    var management: Management {
        Management(context: context, state: state, metrics: metrics, logger: logger)
    }

    /// The port the server listens on (useful with port 0); waits until it does.
    public func boundPort() async throws -> Int {
        try await state.boundPort()
    }

    /// `http://host:port` of the running server, for printing.
    public func baseURL() async throws -> String {
        let port = try await boundPort()
        let host = ["0.0.0.0", "::", "[::]"].contains(options.host) ? "127.0.0.1" : options.host
        return "http://\(host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host):\(port)"
    }

    /// For the polling service: counts each pass in the metrics and keeps it for the dashboard.
    public var observe: @Sendable (CompletedPass) -> Void {
        let management = management
        return { pass in management.observe(pass) }
    }

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: MetricsMiddleware())
        let management = management
        let authenticator = Authenticator(token: options.apiToken)
        let operational = OperationalRoutes(management: management)
        let webhooks = WebhookReceiver(context: context, metrics: metrics, logger: logger)
        router.get("healthz") { _, _ in operational.healthz() }
        router.get("readyz") { _, _ in await operational.readyz() }
        router.post("webhooks/{system}") { request, context in
            await webhooks.receive(request, system: (try? context.parameter("system")) ?? "")
        }
        router.group("metrics").add(middleware: AuthMiddleware(authenticator: authenticator, mode: .api)).get { _, _ in
            await operational.metrics()
        }
        APIRoutes(management: management).register(on: router.group("api").add(middleware: AuthMiddleware(authenticator: authenticator, mode: .api)))
        DashboardRoutes(management: management, authenticator: authenticator, secureCookie: options.publicURL?.lowercased().hasPrefix("https://") ?? false)
            .register(open: router, protected: router.group().add(middleware: AuthMiddleware(authenticator: authenticator, mode: .dashboard)))
        let state = state
        let fallbackPort = options.port
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: "Parley"),
            onServerRunning: { channel in await state.listening(on: channel.localAddress?.port ?? fallbackPort) },
            logger: logger)
    }
}

/// Runs the Hummingbird application; a failure to listen becomes an error that says what to change.
struct HTTPService<App: ApplicationProtocol>: Service, CustomStringConvertible {
    let application: App
    let options: ServerOptions
    let state: ServerState

    func run() async throws {
        do {
            try await application.run()
        } catch {
            await state.stoppedServing()
            throw ServerError.cannotListen(host: options.host, port: options.port, reason: "\(error)")
        }
        await state.stoppedServing()
    }

    var description: String { "ParleyServer.HTTP(\(options.host):\(options.port))" }
}
