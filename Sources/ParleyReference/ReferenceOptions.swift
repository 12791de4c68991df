/// How to run one reference system (what `parley reference erp|pms` takes as flags).
public struct ReferenceOptions: Sendable {
    public var kind: ReferenceSystemKind
    public var host: String
    /// 0 picks a free port; `RunningReference.port` tells which.
    public var port: Int
    /// SQLite file; `nil` uses a fresh temporary file that is removed on `stop()`.
    public var dbPath: String?
    /// Customers to seed into an empty database (about twice as many projects are seeded).
    public var seed: Int
    /// First company index to seed (companies `seedOffset ..< seedOffset + seed`).
    public var seedOffset: Int
    /// Which deterministic data set to seed.
    public var seedValue: UInt64
    /// When set, every route except `GET /healthz` requires `Authorization: Bearer <token>`.
    public var token: String?
    public var faults: FaultSettings
    public var webhookRetry: WebhookRetryPolicy
    /// Stop on SIGINT/SIGTERM (for the CLI; tests leave it off).
    public var handlesShutdownSignals: Bool

    public init(
        kind: ReferenceSystemKind,
        host: String = "127.0.0.1",
        port: Int = 0,
        dbPath: String? = nil,
        seed: Int = 0,
        seedOffset: Int = 0,
        seedValue: UInt64 = 1,
        token: String? = nil,
        faults: FaultSettings = .none,
        webhookRetry: WebhookRetryPolicy = .standard,
        handlesShutdownSignals: Bool = false
    ) {
        self.kind = kind
        self.host = host
        self.port = port
        self.dbPath = dbPath
        self.seed = seed
        self.seedOffset = seedOffset
        self.seedValue = seedValue
        self.token = token
        self.faults = faults
        self.webhookRetry = webhookRetry
        self.handlesShutdownSignals = handlesShutdownSignals
    }

    /// Problems with the options, each naming the option and what is allowed (empty when valid).
    public var problems: [String] {
        var problems = faults.problems
        if !(0...65535).contains(port) { problems.append("port must be 0 to 65535; got \(port)") }
        if seed < 0 { problems.append("seed must be 0 or more; got \(seed)") }
        if seedOffset < 0 { problems.append("seed-offset must be 0 or more; got \(seedOffset)") }
        if let token, token.isEmpty { problems.append("token must not be empty") }
        return problems
    }
}
