/// Runs an operation with a deadline, for probes that must answer quickly (readiness, feed lag).
enum Timeout {
    /// The operation's result, or nil when it did not finish in time (it is then cancelled).
    static func run<T: Sendable>(milliseconds: Int, _ operation: @escaping @Sendable () async throws -> T) async -> Result<T, any Error>? {
        await withTaskGroup(of: Result<T, any Error>?.self) { group in
            group.addTask {
                do {
                    return .success(try await operation())
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(milliseconds))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
