import ParleyCore
import ParleyEngine

/// Where and how Parley's own HTTP server listens.
public struct ServerOptions: Sendable {
    public var host: String
    public var port: Int
    /// Bearer token for the management API, the dashboard and `/metrics`; nil: no authentication, which is
    /// only allowed on a loopback address.
    public var apiToken: String?
    /// The address the connected systems reach this server at (`https://parley.example.com`); webhook
    /// callbacks are `<publicURL>/webhooks/<system>`. Nil: `http://<host>:<port>`.
    public var publicURL: String?
    /// Register webhook subscriptions with every system that has a webhook secret when the server starts.
    public var registersWebhooks: Bool

    public init(host: String = "127.0.0.1", port: Int = 8080, apiToken: String? = nil, publicURL: String? = nil, registersWebhooks: Bool = true) {
        self.host = host
        self.port = port
        self.apiToken = apiToken
        self.publicURL = publicURL
        self.registersWebhooks = registersWebhooks
    }
}

/// One connected system as the server shows it and receives its webhooks.
public struct SystemInfo: Sendable {
    public var name: String
    public var title: String
    /// The system's base URL, shown on the dashboard.
    public var url: String
    /// The key that signs its webhook deliveries; nil: its webhooks are refused and none is registered.
    public var webhookSecret: String?

    public init(name: String, title: String, url: String, webhookSecret: String? = nil) {
        self.name = name
        self.title = title
        self.url = url
        self.webhookSecret = webhookSecret
    }
}

/// What the server works with. The engine, its store and connectors are the ones the polling loop uses;
/// writes go through `trigger` so they run inside that loop.
public struct ServerContext: Sendable {
    public var engine: SyncEngine
    public var store: any LinkStore
    public var connectors: [String: any Connector]
    public var systems: [SystemInfo]
    public var trigger: SyncTrigger
    public var pollIntervalMillis: Int
    /// Runs a dry-run pass (over the named flows, or all) on a scratch copy of the state and returns its plan.
    public var planner: @Sendable (Set<String>?) async throws -> PassReport

    public init(
        engine: SyncEngine, store: any LinkStore, connectors: [String: any Connector], systems: [SystemInfo], trigger: SyncTrigger,
        pollIntervalMillis: Int, planner: @escaping @Sendable (Set<String>?) async throws -> PassReport
    ) {
        self.engine = engine
        self.store = store
        self.connectors = connectors
        self.systems = systems
        self.trigger = trigger
        self.pollIntervalMillis = pollIntervalMillis
        self.planner = planner
    }

    public var flows: [FlowDefinition] { engine.flows }
    public func flow(named name: String) -> FlowDefinition? { engine.flows.first { $0.name == name } }
    public func system(named name: String) -> SystemInfo? { systems.first { $0.name == name } }
}

// Service groups log their services' descriptions: never print a token or a webhook secret.
extension ServerOptions: CustomStringConvertible {
    public var description: String {
        "ServerOptions(host: \(host), port: \(port), apiToken: \(apiToken == nil ? "none" : "***"), publicURL: \(publicURL ?? "none"))"
    }
}

extension SystemInfo: CustomStringConvertible {
    public var description: String { "SystemInfo(\(name), \(url), webhookSecret: \(webhookSecret == nil ? "none" : "***"))" }
}

extension ServerContext: CustomStringConvertible {
    public var description: String { "ServerContext(flows: \(flows.map(\.name)), systems: \(systems))" }
}
