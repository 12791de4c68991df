import Foundation
import Logging
import ParleyCore
import PostgresNIO

/// Work sharing between workers on PostgreSQL's own primitives: items are rows of `work_items`, and a
/// worker holds an item (or a whole flow) through session-level advisory locks on one of its connections.
/// PostgreSQL releases those locks when the connection ends, so the item of a worker that was killed is
/// free again at once, without timeouts or heartbeats.
///
/// Locks, per flow (`flowKey`, from the flow's name): `(flowKey, 0)` shared while a worker processes one of
/// the flow's items, exclusive while one reads the change feeds, applies deletes, or syncs a record from a
/// webhook; `(flowKey, itemKey)` exclusive while a worker processes that item.
public struct PostgresWorkCoordinator: WorkCoordinator {
    let client: PostgresClient
    let logger: Logger
    public let workerId: String

    /// Shares the store's connection pool; `workerId` defaults to host name and process id.
    public init(store: PostgresStore, workerId: String? = nil) {
        self.client = store.client
        self.logger = store.logger
        self.workerId = workerId ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// A stable 32-bit key per flow name (FNV-1a), the first half of every advisory lock of the flow.
    static func flowKey(_ flow: String) -> Int32 {
        var hash: UInt32 = 2_166_136_261
        for byte in "parley-flow:\(flow)".utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return Int32(bitPattern: hash)
    }

    static func itemKey(_ item: WorkItem) -> Int32 {
        Int32(item.phase.rawValue * 100_000 + item.partition.index + 1)
    }

    public func exclusively<T: Sendable>(flow: String, waitMillis: Int, _ body: @Sendable () async throws -> T) async throws -> T? {
        let key = Self.flowKey(flow)
        return try await client.withConnection { connection in
            let deadline = ContinuousClock.now + .milliseconds(max(0, waitMillis))
            while try await !tryLock("SELECT pg_try_advisory_lock(\(key), 0)", on: connection) {
                if ContinuousClock.now >= deadline { return nil }
                try await Task.sleep(for: .milliseconds(20))
            }
            return try await holding(connection) { try await body() }
        }
    }

    public func generation(flow: String) async throws -> WorkGeneration? {
        try await client.withConnection { try await Self.generation(flow: flow, on: $0, logger: logger) }
    }

    static func generation(flow: String, on connection: PostgresConnection, logger: Logger) async throws -> WorkGeneration? {
        let rows = try await connection.query(
            """
            SELECT generation, COUNT(*) FILTER (WHERE done_at IS NULL)::BIGINT,
                   (EXTRACT(EPOCH FROM clock_timestamp() - MIN(started_at)) * 1000)::BIGINT
            FROM work_items WHERE flow = \(flow) AND generation = (SELECT MAX(generation) FROM work_items WHERE flow = \(flow))
            GROUP BY generation
            """, logger: logger)
        for try await (number, remaining, age) in rows.decode((Int64, Int64, Int64).self) {
            return WorkGeneration(number: number, remaining: Int(remaining), ageMillis: age)
        }
        return nil
    }

    public func startGeneration(flow: String, after previous: Int64?, items: [WorkItem]) async throws {
        let logger = logger
        try await client.withTransaction(logger: logger) { connection in
            let current = try await Self.generation(flow: flow, on: connection, logger: logger)?.number
            // Another worker started one since `previous` was read: theirs stands.
            guard current == previous else { return }
            let next = (current ?? 0) + 1
            try await connection.query("DELETE FROM work_items WHERE flow = \(flow) AND generation < \(next)", logger: logger)
            for item in items {
                try await connection.query(
                    """
                    INSERT INTO work_items (flow, generation, phase, part, parts)
                    VALUES (\(flow), \(next), \(item.phase.rawValue), \(item.partition.index), \(item.partition.count))
                    """, logger: logger)
            }
        }
    }

    public func claimNext<Result: Sendable>(
        flow: String, _ body: @Sendable (WorkItem) async throws -> (WorkTally, Result)
    ) async throws -> ClaimOutcome<Result> {
        let key = Self.flowKey(flow)
        return try await client.withConnection { connection in
            guard let generation = try await Self.generation(flow: flow, on: connection, logger: logger), !generation.isComplete else {
                return .complete
            }
            // Items of the earliest phase that is not done; workers start at different partitions so that they
            // rarely try the same lock.
            var candidates: [WorkItem] = []
            let rows = try await connection.query(
                """
                SELECT phase, part, parts FROM work_items w
                WHERE flow = \(flow) AND generation = \(generation.number) AND done_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM work_items e WHERE e.flow = w.flow AND e.generation = w.generation
                                  AND e.phase < w.phase AND e.done_at IS NULL)
                ORDER BY phase, part
                """, logger: logger)
            for try await (phase, part, parts) in rows.decode((Int, Int, Int).self) {
                guard let phase = WorkItem.Phase(rawValue: phase) else { continue }
                candidates.append(WorkItem(phase: phase, partition: WorkPartition(index: part, count: parts)))
            }
            if candidates.isEmpty { return .complete }
            let start = Int(UInt32(bitPattern: Self.flowKey(workerId)) % UInt32(candidates.count))
            for offset in 0..<candidates.count {
                let item = candidates[(start + offset) % candidates.count]
                let acquired: Bool
                if item.phase == .deletes {
                    acquired = try await tryLock("SELECT pg_try_advisory_lock(\(key), 0)", on: connection)
                } else if try await tryLock("SELECT pg_try_advisory_lock_shared(\(key), 0)", on: connection) {
                    acquired = try await tryLock("SELECT pg_try_advisory_lock(\(key), \(Self.itemKey(item)))", on: connection)
                } else {
                    acquired = false
                }
                guard acquired else {
                    try await unlockAll(connection)
                    continue
                }
                let outcome: (WorkTally, Result)? = try await holding(connection) {
                    // Done by another worker between the look and the lock.
                    guard try await isOpen(item, flow: flow, generation: generation.number, on: connection) else { return nil }
                    let result = try await body(item)
                    try await markDone(item, flow: flow, generation: generation.number, tally: result.0, on: connection)
                    return result
                }
                if let outcome { return .processed(item, outcome.0, outcome.1) }
            }
            return .busy
        }
    }

    public func workerTotals() async throws -> [WorkerTotal] {
        try await client.withConnection { connection in
            var totals: [WorkerTotal] = []
            let rows = try await connection.query(
                "SELECT worker, flow, items, records, writes FROM worker_totals ORDER BY worker, flow", logger: logger)
            for try await (worker, flow, items, records, writes) in rows.decode((String, String, Int64, Int64, Int64).self) {
                totals.append(WorkerTotal(worker: worker, flow: flow, items: Int(items), records: Int(records), writes: Int(writes)))
            }
            return totals
        }
    }

    public func staged(
        flow: String, side: Side, states: [StagedState], partition: WorkPartition, after: String?, limit: Int
    ) async throws -> [StagedRecord] {
        if states.isEmpty { return [] }
        return try await client.withConnection { connection in
            var records: [StagedRecord] = []
            let rows = try await connection.query(
                PostgresStore.stagedQuery(flow: flow, side: side, states: states, partition: partition, after: after, limit: limit), logger: logger)
            for try await row in rows { records.append(try PostgresRows.staged(row)) }
            return records
        }
    }

    // MARK: - Locks and rows

    func tryLock(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> Bool {
        for try await acquired in try await connection.query(query, logger: logger).decode(Bool.self) { return acquired }
        return false
    }

    func unlockAll(_ connection: PostgresConnection) async throws {
        try await connection.query("SELECT pg_advisory_unlock_all()", logger: logger)
    }

    /// Runs `body` and then releases every advisory lock of `connection`, also when `body` throws, so that
    /// the pooled connection goes back without locks.
    func holding<T>(_ connection: PostgresConnection, _ body: () async throws -> T) async throws -> T {
        let result: T
        do {
            result = try await body()
        } catch {
            try? await unlockAll(connection)
            throw error
        }
        try await unlockAll(connection)
        return result
    }

    func isOpen(_ item: WorkItem, flow: String, generation: Int64, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            SELECT 1 FROM work_items WHERE flow = \(flow) AND generation = \(generation) AND phase = \(item.phase.rawValue)
            AND part = \(item.partition.index) AND done_at IS NULL
            """, logger: logger)
        for try await _ in rows { return true }
        return false
    }

    func markDone(_ item: WorkItem, flow: String, generation: Int64, tally: WorkTally, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE work_items SET done_at = clock_timestamp(), done_by = \(workerId), records = \(tally.records), writes = \(tally.writes)
            WHERE flow = \(flow) AND generation = \(generation) AND phase = \(item.phase.rawValue) AND part = \(item.partition.index)
            """, logger: logger)
        try await connection.query(
            """
            INSERT INTO worker_totals (worker, flow, items, records, writes, last_at)
            VALUES (\(workerId), \(flow), 1, \(tally.records), \(tally.writes), clock_timestamp())
            ON CONFLICT (worker, flow) DO UPDATE SET items = worker_totals.items + 1,
                records = worker_totals.records + EXCLUDED.records, writes = worker_totals.writes + EXCLUDED.writes, last_at = EXCLUDED.last_at
            """, logger: logger)
    }
}
