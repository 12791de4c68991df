import PostgresNIO
import Synchronization

/// Runs a `PostgresClient` (its `run()`, in a task of its own) and lets users wait until that task has begun,
/// so no connection is leased before `run()` is active (PostgresNIO warns "…`PostgresClient.run()` hasn't been
/// called yet" otherwise, and a lease made then waits for it).
public final class PostgresClientRunner: Sendable {
    private let gate = Gate()
    private let task: Task<Void, Never>

    public init(_ client: PostgresClient) {
        task = Task { [gate] in
            gate.open()
            await client.run()
        }
    }

    /// Returns once the client's `run()` task has begun (at once after the first time).
    public func started() async { await gate.wait() }

    /// Closes the client (cancels its `run()`).
    public func cancel() { task.cancel() }

    deinit { task.cancel() }

    /// Opens once; waiters resume then, later ones at once.
    private final class Gate: Sendable {
        private struct State {
            var open = false
            var waiters: [CheckedContinuation<Void, Never>] = []
        }

        private let state = Mutex(State())

        func open() {
            let waiters = state.withLock { state in
                state.open = true
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }

        func wait() async {
            if state.withLock({ $0.open }) { return }
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                let open = state.withLock { state in
                    if state.open { return true }
                    state.waiters.append(waiter)
                    return false
                }
                if open { waiter.resume() }
            }
        }
    }
}
