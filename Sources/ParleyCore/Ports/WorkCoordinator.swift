/// Lets several workers share one state store (PostgreSQL) without processing a record twice at once.
///
/// Each flow's work is cut into generations: one worker reads the change feeds (holding the flow
/// exclusively), then starts a generation of work items — the staged records of each side split into
/// partitions, then the staged deletes. Any worker claims an item under a lock that the database releases
/// when the worker's connection ends, so a killed worker's item is claimed again by another; an item of a
/// later phase is claimable only once every item of the earlier phases is done (the barrier between
/// matching the left side, the right side, and deletes).
public protocol WorkCoordinator: Sendable {
    /// Who this worker is in work counts and logs (host and process id unless configured).
    var workerId: String { get }

    /// Runs `body` while no other worker touches the flow: no item of it is being processed and no other
    /// exclusive holder runs. Waits up to `waitMillis` for that; returns nil without running `body` if the
    /// flow stayed busy.
    func exclusively<T: Sendable>(flow: String, waitMillis: Int, _ body: @Sendable () async throws -> T) async throws -> T?

    /// The newest generation of the flow's work, or nil before the first one.
    func generation(flow: String) async throws -> WorkGeneration?

    /// Starts the generation after `previous` with the given items (in one transaction). Called while
    /// holding the flow exclusively, after reading the change feeds. Older generations are forgotten.
    func startGeneration(flow: String, after previous: Int64?, items: [WorkItem]) async throws

    /// Claims one item of the newest generation that no one holds and whose earlier phases are done, runs
    /// `body` while holding it, and marks it done by this worker with the tally `body` returns. An item whose
    /// `body` throws stays undone (its records stay staged) and is claimed again.
    func claimNext<Result: Sendable>(
        flow: String, _ body: @Sendable (WorkItem) async throws -> (WorkTally, Result)
    ) async throws -> ClaimOutcome<Result>

    /// Items and records each worker has done, over all generations (for `status` and the dashboard).
    func workerTotals() async throws -> [WorkerTotal]

    /// The staged records of one partition of a side, ordered by id, after `after`.
    func staged(
        flow: String, side: Side, states: [StagedState], partition: WorkPartition, after: String?, limit: Int
    ) async throws -> [StagedRecord]
}

/// A slice of a side's staged records: those whose id hashes to `index` out of `count`.
public struct WorkPartition: Sendable, Hashable {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }
}

/// One unit of a generation's work.
public struct WorkItem: Sendable, Hashable {
    public enum Phase: Int, Sendable, Hashable, Comparable {
        /// Match (link, create or hold) the left side's staged records of one partition.
        case matchLeft = 1
        /// The same for the right side; starts once every left partition is done.
        case matchRight = 2
        /// Apply staged deletes behind the circuit breaker (one item, holding the flow exclusively).
        case deletes = 3

        public static func < (lhs: Phase, rhs: Phase) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var phase: Phase
    public var partition: WorkPartition

    public init(phase: Phase, partition: WorkPartition) {
        self.phase = phase
        self.partition = partition
    }

    /// The items of a generation with `partitions` partitions per side.
    public static func generation(partitions: Int) -> [WorkItem] {
        let count = max(1, partitions)
        return [Phase.matchLeft, .matchRight].flatMap { phase in
            (0..<count).map { WorkItem(phase: phase, partition: WorkPartition(index: $0, count: count)) }
        } + [WorkItem(phase: .deletes, partition: WorkPartition(index: 0, count: 1))]
    }
}

/// What a worker did with an item: records examined and writes made to systems.
public struct WorkTally: Sendable, Hashable {
    public var records: Int
    public var writes: Int

    public init(records: Int = 0, writes: Int = 0) {
        self.records = records
        self.writes = writes
    }
}

public struct WorkGeneration: Sendable, Hashable {
    public var number: Int64
    /// Items not done yet.
    public var remaining: Int
    /// How long ago the generation started, by the database's clock (workers' clocks may differ).
    public var ageMillis: Int64

    public init(number: Int64, remaining: Int, ageMillis: Int64) {
        self.number = number
        self.remaining = remaining
        self.ageMillis = ageMillis
    }

    public var isComplete: Bool { remaining == 0 }
}

public enum ClaimOutcome<Result: Sendable>: Sendable {
    /// An item was processed; `Result` is what its `body` returned.
    case processed(WorkItem, WorkTally, Result)
    /// Items remain, but each is held by another worker or waits for an earlier phase.
    case busy
    /// Every item of the newest generation is done (or there is none).
    case complete
}

public struct WorkerTotal: Sendable, Hashable, Codable {
    public var worker: String
    public var flow: String
    public var items: Int
    public var records: Int
    public var writes: Int

    public init(worker: String, flow: String, items: Int, records: Int, writes: Int) {
        self.worker = worker
        self.flow = flow
        self.items = items
        self.records = records
        self.writes = writes
    }
}
