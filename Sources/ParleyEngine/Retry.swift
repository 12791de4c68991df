import ParleyCore

/// Retries transient connector failures with exponential backoff and jitter, honouring `Retry-After`.
struct RetryPolicy: Sendable {
    var maxAttempts: Int
    var baseDelayMillis: Int
    var maxDelayMillis: Int

    func run<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await operation()
            } catch let error as ConnectorError {
                guard case .transient(_, _, let retryAfter) = error, attempt + 1 < maxAttempts else { throw error }
                attempt += 1
                try await Task.sleep(for: .milliseconds(delayMillis(attempt: attempt, retryAfterSeconds: retryAfter)))
            }
        }
    }

    func delayMillis(attempt: Int, retryAfterSeconds: Double?) -> Int {
        if let retryAfterSeconds, retryAfterSeconds >= 0 {
            return min(Int(retryAfterSeconds * 1000) + Int.random(in: 0...50), max(maxDelayMillis, 30_000))
        }
        let exponential = min(maxDelayMillis, baseDelayMillis << min(attempt - 1, 16))
        return exponential / 2 + Int.random(in: 0...max(1, exponential / 2))
    }
}
