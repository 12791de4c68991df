/// Thrown when an operation under `withTimeLimit` did not finish in time (a hang).
struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var seconds: Int
    var description: String { "\(what) did not finish within \(seconds) s" }
}

/// Runs `operation`, failing with `TimedOut` (and cancelling it) when it takes longer than `seconds`.
func withTimeLimit<T: Sendable>(_ seconds: Int, _ what: String, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw TimedOut(what: what, seconds: seconds) }
        return value
    }
}
