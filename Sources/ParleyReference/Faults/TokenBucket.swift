/// A token bucket holding at most one second's worth of requests.
struct TokenBucket: Sendable {
    let ratePerSecond: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant?

    init(ratePerSecond: Double) {
        self.ratePerSecond = ratePerSecond
        self.tokens = max(1, ratePerSecond)
    }

    /// Takes a token; returns `nil` when allowed, or the whole seconds to wait before retrying.
    mutating func take(now: ContinuousClock.Instant) -> Int? {
        let capacity = max(1, ratePerSecond)
        if let last {
            let elapsed = last.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            tokens = min(capacity, tokens + seconds * ratePerSecond)
        }
        last = now
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return max(1, Int(((1 - tokens) / ratePerSecond).rounded(.up)))
    }
}
