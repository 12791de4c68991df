import Logging
@testable import ParleyReference

enum TestLogging {
    static var logger: Logger {
        var logger = Logger(label: "parley.reference.tests")
        logger.logLevel = .warning
        return logger
    }
}

/// Runs `body` against a fresh reference system on a free port with its own temporary SQLite file,
/// and always stops it.
@discardableResult
func withReference<T: Sendable>(
    _ options: ReferenceOptions,
    _ body: (RunningReference, TestClient) async throws -> T
) async throws -> T {
    let running = try await RunningReference.start(options, logger: TestLogging.logger)
    do {
        let result = try await body(running, TestClient(baseURL: running.baseURL, token: options.token))
        await running.stop()
        return result
    } catch {
        await running.stop()
        throw error
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
