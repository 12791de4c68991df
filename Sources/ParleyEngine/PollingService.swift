import Logging
import ServiceLifecycle

/// Keeps syncing: a pass every interval, or at once when triggered (webhooks), until graceful shutdown.
public struct PollingService: Service {
    let engine: SyncEngine
    let intervalMillis: Int
    let trigger: SyncTrigger
    let onPass: @Sendable (PassReport) -> Void

    public init(
        engine: SyncEngine, intervalMillis: Int, trigger: SyncTrigger = SyncTrigger(),
        onPass: @escaping @Sendable (PassReport) -> Void
    ) {
        self.engine = engine
        self.intervalMillis = intervalMillis
        self.trigger = trigger
        self.onPass = onPass
    }

    public func run() async throws {
        // Passes and webhook-triggered record syncs run one at a time, in this loop, so they never race.
        var nextPass = ContinuousClock.now
        while !Task.isShuttingDownGracefully {
            if ContinuousClock.now >= nextPass {
                onPass(await engine.syncPass())
                nextPass = ContinuousClock.now + .milliseconds(intervalMillis)
            }
            let records = await trigger.takeRecords()
            if !records.isEmpty {
                onPass(await engine.syncRecords(records))
                continue
            }
            let remaining = ContinuousClock.now.duration(to: nextPass)
            let millis = max(0, Int(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000))
            await trigger.wait(upToMillis: millis)
        }
    }
}

/// Wakes the polling loop early (e.g. when a webhook arrives).
public actor SyncTrigger {
    var waiter: CheckedContinuation<Void, Never>?
    var pending = false
    var records: [ChangedRecord] = []

    public init() {}

    /// Queues a changed record for an immediate targeted sync.
    public func enqueue(_ record: ChangedRecord) {
        if !records.contains(record) { records.append(record) }
        fire()
    }

    func takeRecords() -> [ChangedRecord] {
        defer { records = [] }
        return records
    }

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
