/// One connected system (`erp`, `pms`) and how to reach it.
public struct SystemConfig: Sendable, Hashable {
    /// The key under `systems:`; flows name datatypes as `<name>.<datatype>`.
    public var name: String
    /// Human-readable name (defaults to `name`).
    public var title: String
    public var connector: ConnectorSettings
    public var location: ConfigLocation

    public init(name: String, title: String, connector: ConnectorSettings, location: ConfigLocation) {
        self.name = name
        self.title = title
        self.connector = connector
        self.location = location
    }
}

/// How a system is reached. Each connector kind carries its own settings.
public enum ConnectorSettings: Sendable, Hashable {
    /// A system implementing the Custom System contract (HTTP/JSON, `/schema`, change feeds, webhooks).
    case contract(ContractSettings)
    /// Any JSON-over-HTTP API, described per datatype in the configuration.
    case rest(RESTSettings)
    /// Tables of a PostgreSQL or SQLite database.
    case sql(SQLSettings)
    /// A program spoken to in JSON lines over stdin/stdout.
    case exec(ExecSettings)

    /// The `connector:` value that selects this kind.
    public var kind: String {
        switch self {
        case .contract: "contract"
        case .rest: "rest"
        case .sql: "sql"
        case .exec: "exec"
        }
    }
}

/// Settings of the `contract` connector.
public struct ContractSettings: Sendable, Hashable {
    /// Base URL (`http://` or `https://`).
    public var url: String
    /// Bearer token sent with every request; nil means no authentication.
    public var token: Secret?
    /// Secret used to check the HMAC-SHA256 signatures of webhook deliveries; nil means webhooks are not used.
    public var webhookSecret: Secret?
    public var timeoutMillis: Int
    /// Maximum concurrent requests to the system.
    public var concurrency: Int
    public var insecureSkipTLSVerify: Bool

    public init(
        url: String, token: Secret? = nil, webhookSecret: Secret? = nil, timeoutMillis: Int = 10_000, concurrency: Int = 8,
        insecureSkipTLSVerify: Bool = false
    ) {
        self.url = url
        self.token = token
        self.webhookSecret = webhookSecret
        self.timeoutMillis = timeoutMillis
        self.concurrency = concurrency
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
    }
}
