/// The live fault state of one reference system: settings, a seeded random generator and a rate limiter.
actor FaultInjector {
    enum Admission: Sendable, Equatable {
        case proceed
        case rateLimited(retryAfterSeconds: Int)
        case fail
    }

    private(set) var settings: FaultSettings
    private var random: SplitMix64
    private var bucket: TokenBucket?

    init(_ settings: FaultSettings) {
        self.settings = settings
        self.random = SplitMix64(seed: settings.randomSeed)
        self.bucket = settings.rateLimit.map { TokenBucket(ratePerSecond: $0) }
    }

    /// Replaces the settings and restarts the random sequence from their seed.
    func update(_ settings: FaultSettings) {
        self.settings = settings
        self.random = SplitMix64(seed: settings.randomSeed)
        self.bucket = settings.rateLimit.map { TokenBucket(ratePerSecond: $0) }
    }

    /// Decides, on arrival, whether a request is rate limited or failed outright.
    func admit(now: ContinuousClock.Instant = .now) -> Admission {
        if var bucket {
            let decision = bucket.take(now: now)
            self.bucket = bucket
            if let wait = decision { return .rateLimited(retryAfterSeconds: wait) }
        }
        return random.chance(settings.failRate) ? .fail : .proceed
    }

    func shouldAcceptThenFail() -> Bool {
        random.chance(settings.acceptThenFailRate)
    }

    func shouldDropWebhook() -> Bool {
        random.chance(settings.dropWebhooks)
    }

    /// The system clock, skewed by the configured offset, in epoch milliseconds.
    func now() -> Int64 {
        Timestamp.nowMilliseconds(offsetMilliseconds: settings.clockOffsetMs)
    }
}
