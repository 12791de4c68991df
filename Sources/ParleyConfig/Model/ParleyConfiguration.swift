/// The loaded configuration, structurally valid but not yet checked against the systems' schemas
/// (see `resolveFlows(_:schemas:)` for that step).
public struct ParleyConfiguration: Sendable, Hashable {
    /// The configuration file's path as it was given to the loader.
    public var configPath: String
    /// The absolute folder of the configuration file; relative paths in the file are relative to it.
    public var configDirectory: String
    /// Where links and shadows are stored: an absolute SQLite file path (a relative `state:` is resolved
    /// against `configDirectory`), or a URL such as `postgres://…`, unchanged.
    public var state: String
    public var pollIntervalMillis: Int
    public var breaker: BreakerSettings
    /// The HTTP server (webhooks, management API); nil when the file has no `server:` section.
    public var server: ServerSettings?
    /// The systems, in the file's order.
    public var systems: [SystemConfig]
    /// The flows, in the file's order (`resolveFlows` orders them by their references).
    public var flows: [FlowConfig]

    public init(
        configPath: String, configDirectory: String, state: String, pollIntervalMillis: Int = 5_000,
        breaker: BreakerSettings = BreakerSettings(), server: ServerSettings? = nil, systems: [SystemConfig],
        flows: [FlowConfig]
    ) {
        self.configPath = configPath
        self.configDirectory = configDirectory
        self.state = state
        self.pollIntervalMillis = pollIntervalMillis
        self.breaker = breaker
        self.server = server
        self.systems = systems
        self.flows = flows
    }

    public func system(named name: String) -> SystemConfig? { systems.first { $0.name == name } }
    public func flow(named name: String) -> FlowConfig? { flows.first { $0.name.value == name } }

    /// The file name used in error messages (`parley.yaml`).
    public var configFileName: String { ConfigPaths.fileName(of: configPath) }
}

/// The circuit breaker: deletes and archives applied within `windowMillis` (by passes, and by webhooks one by
/// one) may come to at most `maxDeleteShare` of a flow's links or `minRecords`, whichever is more; beyond that
/// they wait for an operator.
public struct BreakerSettings: Sendable, Hashable {
    public var maxDeleteShare: Double
    public var minRecords: Int
    public var windowMillis: Int

    public init(maxDeleteShare: Double = 0.2, minRecords: Int = 20, windowMillis: Int = 600_000) {
        self.maxDeleteShare = maxDeleteShare
        self.minRecords = minRecords
        self.windowMillis = windowMillis
    }
}

/// Parley's own HTTP server: webhook receiver, management API, dashboard, metrics.
public struct ServerSettings: Sendable, Hashable {
    public var host: String
    public var port: Int
    /// Bearer token required by the management API; nil means no authentication.
    public var apiToken: Secret?
    /// The base URL the connected systems reach this server at (webhook callbacks go to
    /// `<publicURL>/webhooks/<system>`); nil: `http://<host>:<port>`.
    public var publicURL: String?

    public init(host: String = "127.0.0.1", port: Int = 8080, apiToken: Secret? = nil, publicURL: String? = nil) {
        self.host = host
        self.port = port
        self.apiToken = apiToken
        self.publicURL = publicURL
    }
}
