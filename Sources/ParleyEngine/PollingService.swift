import Logging
import ServiceLifecycle

/// Keeps syncing: a pass every interval, or at once when triggered (webhooks), until graceful shutdown.
public struct PollingService: Service {
    let engine: SyncEngine
    let intervalMillis: Int
    let trigger: SyncTrigger
    let onPass: @Sendable (PassReport) -> Void

    public init(engine: SyncEngine, intervalMillis: Int, trigger: SyncTrigger = SyncTrigger(), onPass: @escaping @Sendable (PassReport) -> Void) {
        self.engine = engine
        self.intervalMillis = intervalMillis
        self.trigger = trigger
        self.onPass = onPass
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            let report = await engine.syncPass()
            onPass(report)
            await trigger.wait(upToMillis: intervalMillis)
        }
    }
}

/// Wakes the polling loop early (e.g. when a webhook arrives).
public actor SyncTrigger {
    var waiter: CheckedContinuation<Void, Never>?
    var pending = false

    public init() {}

    public func fire() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            pending = true
        }
    }

    func wait(upToMillis millis: Int) async {
        if pending {
            pending = false
            return
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(millis))
            await self?.fire()
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if pending {
                    pending = false
                    continuation.resume()
                } else {
                    waiter = continuation
                }
            }
        } onCancel: {
            Task { await self.fire() }
        }
        timer.cancel()
        pending = false
    }
}
