/// Faults a reference system injects, for tests, demos and benchmarks. All shares are 0...1.
public struct FaultSettings: Sendable, Equatable {
    /// Delay added to every request (except `/healthz`), in milliseconds.
    public var latencyMs: Int
    /// Share of requests answered `500 injected_failure` before touching any data.
    public var failRate: Double
    /// Requests per second allowed; beyond it `429 rate_limited` with `Retry-After`. `nil` = unlimited.
    public var rateLimit: Double?
    /// Share of webhook deliveries silently dropped.
    public var dropWebhooks: Double
    /// Skew of the system clock used for change markers, in milliseconds (may be negative).
    public var clockOffsetMs: Int64
    /// Share of writes that commit and are then answered `503` as if the response was lost.
    public var acceptThenFailRate: Double
    /// Seed of the random generator behind every share above, so runs are repeatable.
    public var randomSeed: UInt64

    public init(
        latencyMs: Int = 0,
        failRate: Double = 0,
        rateLimit: Double? = nil,
        dropWebhooks: Double = 0,
        clockOffsetMs: Int64 = 0,
        acceptThenFailRate: Double = 0,
        randomSeed: UInt64 = 1
    ) {
        self.latencyMs = latencyMs
        self.failRate = failRate
        self.rateLimit = rateLimit
        self.dropWebhooks = dropWebhooks
        self.clockOffsetMs = clockOffsetMs
        self.acceptThenFailRate = acceptThenFailRate
        self.randomSeed = randomSeed
    }

    /// No faults at all.
    public static let none = FaultSettings()

    /// Problems with the values, each naming the field and what is allowed (empty when valid).
    public var problems: [String] {
        var problems: [String] = []
        if latencyMs < 0 { problems.append("latencyMs must be 0 or more; got \(latencyMs)") }
        for (name, value) in [("failRate", failRate), ("dropWebhooks", dropWebhooks), ("acceptThenFailRate", acceptThenFailRate)]
        where !(0...1).contains(value) {
            problems.append("\(name) must be between 0 and 1; got \(value)")
        }
        if let rateLimit, !(rateLimit > 0) { problems.append("rateLimit must be more than 0 requests per second; got \(rateLimit)") }
        return problems
    }
}
