import Logging
import ServiceLifecycle

/// Keeps syncing: a pass every interval, or at once when triggered (webhooks), until graceful shutdown.
public struct PollingService: Service {
    let engine: SyncEngine
    let intervalMillis: Int
    let trigger: SyncTrigger
    let observer: @Sendable (CompletedPass) -> Void

    public init(
        engine: SyncEngine, intervalMillis: Int, trigger: SyncTrigger = SyncTrigger(),
        onPass: @escaping @Sendable (PassReport) -> Void
    ) {
        self.init(engine: engine, intervalMillis: intervalMillis, trigger: trigger, observer: { onPass($0.report) })
    }

    /// `observer` hears about every pass with its kind and duration (metrics, logs).
    public init(
        engine: SyncEngine, intervalMillis: Int, trigger: SyncTrigger = SyncTrigger(),
        observer: @escaping @Sendable (CompletedPass) -> Void
    ) {
        self.engine = engine
        self.intervalMillis = intervalMillis
        self.trigger = trigger
        self.observer = observer
    }

    public func run() async throws {
        // Passes, webhook-triggered record syncs and operator actions run one at a time, in this loop, so
        // they never race.
        let trigger = trigger
        await withGracefulShutdownHandler {
            await loop()
        } onGracefulShutdown: {
            // Wake the loop at once: it may be waiting for the next interval.
            Task { await trigger.fire() }
        }
        await trigger.close()
    }

    private func loop() async {
        var nextPass = ContinuousClock.now
        // Cancelled (not shut down gracefully): stop too, or the loop would spin with nothing to wait on.
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if ContinuousClock.now >= nextPass {
                let started = ContinuousClock.now
                let report = await engine.syncPass()
                observer(CompletedPass(kind: .scheduled, report: report, duration: started.duration(to: .now)))
                nextPass = ContinuousClock.now + .milliseconds(intervalMillis)
            }
            let operations = await trigger.takeOperations()
            for operation in operations { await operation.run() }
            let records = await trigger.takeRecords()
            if !records.isEmpty {
                let started = ContinuousClock.now
                let report = await engine.syncRecords(records)
                observer(CompletedPass(kind: .webhook, report: report, duration: started.duration(to: .now)))
                continue
            }
            if !operations.isEmpty { continue }
            let remaining = ContinuousClock.now.duration(to: nextPass)
            let millis = max(0, Int(remaining.wholeMilliseconds))
            await trigger.wait(upToMillis: millis)
        }
    }
}

/// Wakes the polling loop early (e.g. when a webhook arrives).
public actor SyncTrigger {
    var waiter: CheckedContinuation<Void, Never>?
    var pending = false
    var records: [ChangedRecord] = []
    var operations: [QueuedOperation] = []
    var closed = false

    public init() {}

    /// Runs `operation` inside the polling loop, between passes, and returns its result: operator actions
    /// never race a pass or a webhook-triggered sync. Throws `SyncLoopStopped` once the loop has ended.
    public func perform<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        guard !closed else { throw SyncLoopStopped() }
        return try await withCheckedThrowingContinuation { continuation in
            operations.append(QueuedOperation(
                run: {
                    do {
                        continuation.resume(returning: try await operation())
                    } catch {
                        continuation.resume(throwing: error)
                    }
                },
                abandon: { continuation.resume(throwing: SyncLoopStopped()) }))
            fire()
        }
    }

    func takeOperations() -> [QueuedOperation] {
        defer { operations = [] }
        return operations
    }

    /// The loop ended: operations still queued (and any later ones) fail with `SyncLoopStopped`.
    func close() {
        closed = true
        for operation in takeOperations() { operation.abandon() }
    }

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

/// An operator action waiting for its turn in the polling loop.
struct QueuedOperation: Sendable {
    let run: @Sendable () async -> Void
    /// Fails the waiting caller: the loop ended before the operation ran.
    let abandon: @Sendable () -> Void
}

/// The polling loop has stopped (shutdown), so an operator action could not run.
public struct SyncLoopStopped: Error, CustomStringConvertible, Sendable {
    public init() {}
    public var description: String { "the sync loop has stopped (Parley is shutting down); try again once it runs" }
}

/// One finished pass of the polling loop: a scheduled pass over all flows, or a targeted sync of records
/// reported by webhooks.
public struct CompletedPass: Sendable {
    public enum Kind: String, Sendable {
        /// `manual`: a pass or record sync an operator asked for (management API, dashboard).
        case scheduled, webhook, manual
    }

    public var kind: Kind
    public var report: PassReport
    public var duration: Duration

    public init(kind: Kind, report: PassReport, duration: Duration) {
        self.kind = kind
        self.report = report
        self.duration = duration
    }
}
