/// How webhook deliveries are retried on a non-2xx answer or a connection error.
public struct WebhookRetryPolicy: Sendable, Equatable {
    /// Attempts in total, including the first.
    public var maximumAttempts: Int
    /// Wait before the second attempt; doubles after each further failure.
    public var initialDelay: Duration
    /// Time one attempt may take.
    public var timeout: Duration

    public init(maximumAttempts: Int = 6, initialDelay: Duration = .milliseconds(200), timeout: Duration = .seconds(5)) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialDelay = initialDelay
        self.timeout = timeout
    }

    /// 6 attempts, 0.2 s doubling (0.2, 0.4, 0.8, 1.6, 3.2 s), 5 s per attempt.
    public static let standard = WebhookRetryPolicy()
}
