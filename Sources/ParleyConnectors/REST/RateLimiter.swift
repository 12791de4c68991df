/// Spaces request starts so a system sees at most `requestsPerSecond` (its configured `rateLimit`).
actor RateLimiter {
    let interval: Duration
    var next: ContinuousClock.Instant

    init(requestsPerSecond: Double) {
        let nanoseconds = Int64((1_000_000_000 / max(requestsPerSecond, 0.001)).rounded())
        interval = .nanoseconds(nanoseconds)
        next = ContinuousClock.now
    }

    /// Waits for this request's slot. Slots are handed out in call order.
    func acquire() async {
        let now = ContinuousClock.now
        let slot = max(now, next)
        next = slot + interval
        if slot > now {
            try? await Task.sleep(until: slot, clock: .continuous)
        }
    }
}
