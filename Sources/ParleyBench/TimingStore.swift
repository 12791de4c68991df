import ParleyCore
#if canImport(Glibc)
import Glibc
#endif

/// Wraps a store and measures the time during which at least one store call was in flight (calls that overlap
/// count once) and the number of calls, so a benchmark can report the store's share of the engine's wall time.
public final class TimingStore: LinkStore, @unchecked Sendable {
    let inner: any LinkStore
    let lock = NSLockLike()
    private var nanos: UInt64 = 0
    private var calls = 0
    private var inFlight = 0
    private var busySince: UInt64 = 0

    public init(_ inner: any LinkStore) { self.inner = inner }

    public var totals: (seconds: Double, calls: Int) {
        lock.withLock { (Double(nanos) / 1e9, calls) }
    }

    public func reset() { lock.withLock { nanos = 0; calls = 0 } }

    func timed<T>(_ body: () async throws -> T) async rethrows -> T {
        lock.withLock {
            if inFlight == 0 { busySince = monotonicNanos() }
            inFlight += 1
        }
        defer {
            lock.withLock {
                inFlight -= 1
                calls += 1
                if inFlight == 0 { nanos += monotonicNanos() - busySince }
            }
        }
        return try await body()
    }

    public func commit(_ batch: StoreBatch) async throws { try await timed { try await inner.commit(batch) } }
    public func ensureRoom(bytes: Int64) async throws { try await timed { try await inner.ensureRoom(bytes: bytes) } }
    public func links(flow: String, side: Side, ids: [String]) async throws -> [String: Link] { try await timed { try await inner.links(flow: flow, side: side, ids: ids) } }
    public func pendingLinks(flow: String) async throws -> [Link] { try await timed { try await inner.pendingLinks(flow: flow) } }
    public func links(flow: String, after: String?, limit: Int) async throws -> [Link] { try await timed { try await inner.links(flow: flow, after: after, limit: limit) } }
    public func cursor(flow: String, side: Side) async throws -> String? { try await timed { try await inner.cursor(flow: flow, side: side) } }
    public func staged(flow: String, side: Side, states: [StagedState], after: String?, limit: Int) async throws -> [StagedRecord] {
        try await timed { try await inner.staged(flow: flow, side: side, states: states, after: after, limit: limit) }
    }
    public func stagedStates(flow: String, among states: [StagedState]) async throws -> [Side: Set<StagedState>] {
        try await timed { try await inner.stagedStates(flow: flow, among: states) }
    }
    public func stagedRecord(flow: String, side: Side, id: String) async throws -> StagedRecord? { try await timed { try await inner.stagedRecord(flow: flow, side: side, id: id) } }
    public func ids(flow: String, side: Side, keys: [String]) async throws -> [String: [String]] { try await timed { try await inner.ids(flow: flow, side: side, keys: keys) } }
    public func keys(flow: String, side: Side, ids: [String]) async throws -> [String: [String]] { try await timed { try await inner.keys(flow: flow, side: side, ids: ids) } }
    public func conflicts(flow: String?, unresolvedOnly: Bool, limit: Int) async throws -> [ConflictEntry] { try await timed { try await inner.conflicts(flow: flow, unresolvedOnly: unresolvedOnly, limit: limit) } }
    public func resolveConflict(id: Int64) async throws { try await timed { try await inner.resolveConflict(id: id) } }
    public func quarantined(flow: String?, limit: Int) async throws -> [QuarantineEntry] { try await timed { try await inner.quarantined(flow: flow, limit: limit) } }
    public func removals(flow: String, since: Int64) async throws -> Int { try await timed { try await inner.removals(flow: flow, since: since) } }
    public func quarantineEntry(flow: String, side: Side, id: String) async throws -> QuarantineEntry? { try await timed { try await inner.quarantineEntry(flow: flow, side: side, id: id) } }
    public func audit(flow: String, side: Side, id: String, limit: Int) async throws -> [AuditEntry] { try await timed { try await inner.audit(flow: flow, side: side, id: id, limit: limit) } }
    public func counts(flow: String) async throws -> FlowCounts { try await timed { try await inner.counts(flow: flow) } }
    public func conflict(id: Int64) async throws -> ConflictEntry? { try await timed { try await inner.conflict(id: id) } }
    public func findLinks(flow: String, ids: [String], keys: [String], limit: Int) async throws -> [Link] { try await timed { try await inner.findLinks(flow: flow, ids: ids, keys: keys, limit: limit) } }
    public func recentLinks(flow: String, limit: Int) async throws -> [Link] { try await timed { try await inner.recentLinks(flow: flow, limit: limit) } }
    public func history(flow: String, leftId: String?, rightId: String?, limit: Int) async throws -> [AuditEntry] { try await timed { try await inner.history(flow: flow, leftId: leftId, rightId: rightId, limit: limit) } }
    public func recentAudit(flow: String?, limit: Int) async throws -> [AuditEntry] { try await timed { try await inner.recentAudit(flow: flow, limit: limit) } }
}

/// A pthread mutex: the counters are touched from many tasks, briefly.
final class NSLockLike: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}

func monotonicNanos() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// User + system CPU time of this process so far, in seconds.
public func processCPUSeconds() -> Double {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Peak resident set size of this process (VmHWM), in megabytes.
public func peakRSSMegabytes() -> Double {
    guard let file = fopen("/proc/self/status", "r") else { return 0 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, 256, file) != nil {
        let bytes = line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("VmHWM:") {
            let digits = text.filter(\.isNumber)
            return (Double(digits) ?? 0) / 1024
        }
    }
    return 0
}
