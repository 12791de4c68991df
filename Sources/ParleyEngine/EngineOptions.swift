import ParleyCore

public struct EngineOptions: Sendable {
    /// Records read per change-feed page.
    public var pageSize = 500
    /// Records processed at once within a page (bounded by each system's own request limit too).
    public var concurrency = 8
    /// Transient failures retried per call before the record is left for the next pass.
    public var maxAttempts = 6
    public var retryBaseDelayMillis = 200
    public var retryMaxDelayMillis = 10_000
    /// Circuit breaker: deletes and archives applied within `breakerWindowMillis` (a pass's, and the webhooks'
    /// one by one) may come to at most this share of a flow's links...
    public var maxDeleteShare = 0.2
    /// ...or this many records, whichever is more.
    public var breakerMinRecords = 20
    /// The breaker's window: deletes applied this long ago or less count against the limit with the pending ones.
    /// 0: each pass or webhook delivery counts alone.
    public var breakerWindowMillis: Int64 = 600_000
    /// Let a pass apply deletes beyond the breaker (an operator confirmed them).
    public var allowMassDeletes = false
    /// Plan only: no writes to any system (store writes go to a scratch copy the caller provides).
    public var dryRun = false
    /// Several workers (PostgreSQL state): partitions per side of each generation of a flow's work.
    public var partitions = 8
    /// Several workers: a scheduled pass leaves a flow alone when a generation of its work started less
    /// than this long ago and is complete (another worker just did it); 0 = only one started during the pass.
    public var generationFreshnessMillis = 0
    /// Several workers: how long a webhook-triggered sync or an operator action waits for the flow to be
    /// free of other workers' work; a webhook that cannot wait longer is left to the next pass.
    public var exclusiveWaitMillis = 3_000
    /// Room the state store must have before a flow's pass sends anything to a system: a few pages of work
    /// (staged records, links with shadows, audit rows, and the write-ahead log) with a wide margin.
    public var minimumStateRoomBytes: Int64 = 16 << 20
    /// Links a pass keeps in memory per referenced flow and direction to translate references (a project's
    /// customer); the others are read from the state, in bulk per page. Bounds memory on large passes.
    public var referenceCacheIds = 50_000

    public init() {}
}

/// Engine-level failures that stop a flow's pass.
public enum EngineError: Error, CustomStringConvertible, Sendable {
    case circuitBreaker(flow: String, deletes: Int, recent: Int, windowMillis: Int64, links: Int, limit: Int)
    case missingConnector(system: String)

    public var description: String {
        switch self {
        case .circuitBreaker(_, let deletes, let recent, let windowMillis, let links, let limit):
            "circuit breaker tripped: \(deletes) linked records reported deleted"
                + (recent > 0 ? ", after \(recent) deleted or archived in the last \(Self.duration(windowMillis))," : "")
                + " against \(links) links, over the limit of \(limit) (confirmed gone by a read); they were not deleted or archived and wait."
                + " Check the source system, then run `parley sync --allow-mass-deletes` to apply them."
        case .missingConnector(let system): "no connector configured for system '\(system)'"
        }
    }

    static func duration(_ millis: Int64) -> String {
        if millis % 60_000 == 0 { return "\(millis / 60_000) min" }
        if millis % 1_000 == 0 { return "\(millis / 1_000) s" }
        return "\(millis) ms"
    }
}
