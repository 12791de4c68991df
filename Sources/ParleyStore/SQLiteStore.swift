import Foundation
import GRDB
import ParleyCore

/// The embedded default store: one SQLite file (WAL), one migrator, each batch one transaction.
public final class SQLiteStore: LinkStore {
    let pool: DatabasePool
    static let writerCacheKiB = 32 * 1024
    static let pagesBetweenCheckpoints = 4096
    let recordNumbers = RecordNumberCache()

    /// Opens (creating if needed) the state database at `path` and runs pending migrations.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // WAL (DatabasePool) with synchronous = NORMAL: a committed batch survives a crash of the process
        // (the log is replayed on open); only a power loss or kernel crash can take back the last batches
        // before a checkpoint, and never corrupts the file. What such a loss can leave behind is what a crash
        // before the commit leaves: a create sent without its pending link, which the next pass adopts through
        // the idempotency key or links through the merge criteria instead of creating again. FULL would add an
        // fsync to every batch.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The writer keeps the indexes' hot pages in memory (link and key indexes grow with the links and
            // take ids in random order), and checkpoints the log less often: each checkpoint ends with an
            // fsync that, on a busy disk, holds up every other writer of that disk. Bounded: 32 MB of cache,
            // a 16 MB log between checkpoints.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -\(Self.writerCacheKiB)")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.pagesBetweenCheckpoints)")
            }
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try StoreMigrations.migrator.migrate(pool)
        } catch {
            throw StoreError.unavailable(path: path, message: "\(error)")
        }
    }

    public func commit(_ batch: StoreBatch) async throws {
        if batch.isEmpty { return }
        let known = recordNumbers
        let numbering = try await write { db in try BatchWriter.write(batch, known: known, in: db) }
        recordNumbers.remember(numbering.learned)
    }

    public func links(flow: String, side: Side, ids: [String]) async throws -> [String: Link] {
        if ids.isEmpty { return [:] }
        let column = RecordNumbers.column(side)
        let (links, numbers) = try await read { db in
            var result: [String: Link] = [:]
            result.reserveCapacity(ids.count)
            var numbers: [(key: RecordRef, value: Int64)] = []
            try BatchWriter.forEachRow(
                matching: ids, after: [flow, side.rawValue], in: db,
                sql: {
                    "SELECT \(RowDecoding.linkColumns(of: "links")), links.left_n, links.right_n FROM record_ids "
                        + "JOIN links ON links.\(column) = record_ids.n WHERE record_ids.flow = ? AND record_ids.side = ? AND record_ids.record_id IN (\($0))"
                }
            ) { row in
                let link = try RowDecoding.link(row)
                if let id = link.id(on: side) { result[id] = link }
                // The link's numbers, for the commit that usually follows (after a change is merged).
                if let left = link.leftId, let number = row[8] as Int64? { numbers.append((RecordRef(flow: flow, side: .left, id: left), number)) }
                if let right = link.rightId, let number = row[9] as Int64? { numbers.append((RecordRef(flow: flow, side: .right, id: right), number)) }
            }
            return (result, numbers)
        }
        recordNumbers.remember(numbers)
        return links
    }

    public func pendingLinks(flow: String) async throws -> [Link] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(RowDecoding.linkColumns) FROM links WHERE flow = ? AND state IN ('pending-left', 'pending-right')", arguments: [flow])
                .map(RowDecoding.link)
        }
    }

    public func links(flow: String, after: String?, limit: Int) async throws -> [Link] {
        try await read { db in
            // In the order of the left ids, which record_ids is keyed by (the links' own index holds numbers).
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(RowDecoding.linkColumns(of: "links")) FROM record_ids JOIN links ON links.left_n = record_ids.n
                    WHERE record_ids.flow = ? AND record_ids.side = 'left' AND record_ids.record_id > ? ORDER BY record_ids.record_id LIMIT ?
                    """,
                arguments: [flow, after ?? "", limit]
            ).map(RowDecoding.link)
        }
    }

    public func cursor(flow: String, side: Side) async throws -> String? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT cursor FROM cursors WHERE flow = ? AND side = ?", arguments: [flow, side.rawValue])
        }
    }

    public func staged(flow: String, side: Side, states: [StagedState], after: String?, limit: Int) async throws -> [StagedRecord] {
        if states.isEmpty { return [] }
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(RowDecoding.stagedColumns) FROM staged WHERE flow = ? AND side = ? AND state IN (\(placeholders(states.count)))
                    AND record_id > ? ORDER BY record_id LIMIT ?
                    """,
                arguments: StatementArguments([flow, side.rawValue] + states.map(\.rawValue) + [after ?? "", String(limit)])
            ).map(RowDecoding.staged)
        }
    }

    public func stagedStates(flow: String, among states: [StagedState]) async throws -> [Side: Set<StagedState>] {
        let slots = [Side.left, .right].flatMap { side in states.map { (side, $0) } }
        if slots.isEmpty { return [:] }
        return try await read { db in
            // One index probe (staged_by_state) per side and state, in one statement.
            var present: [Side: Set<StagedState>] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    WITH slots(side, state) AS (VALUES \(Array(repeating: "(?, ?)", count: slots.count).joined(separator: ", ")))
                    SELECT side, state FROM slots
                    WHERE EXISTS (SELECT 1 FROM staged WHERE staged.flow = ? AND staged.side = slots.side AND staged.state = slots.state)
                    """,
                arguments: StatementArguments(slots.flatMap { [$0.0.rawValue, $0.1.rawValue] } + [flow]))
            for row in rows {
                if let side = Side(rawValue: row[0]), let state = StagedState(rawValue: row[1]) { present[side, default: []].insert(state) }
            }
            return present
        }
    }

    public func stagedRecord(flow: String, side: Side, id: String) async throws -> StagedRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(RowDecoding.stagedColumns) FROM staged WHERE flow = ? AND side = ? AND record_id = ?", arguments: [flow, side.rawValue, id])
                .map(RowDecoding.staged)
        }
    }

    public func ids(flow: String, side: Side, keys: [String]) async throws -> [String: [String]] {
        if keys.isEmpty { return [:] }
        return try await read { db in
            var result: [String: [String]] = [:]
            try BatchWriter.forEachRow(
                matching: keys, after: [flow, side.rawValue], in: db,
                sql: { "SELECT key, record_id FROM record_keys WHERE flow = ? AND side = ? AND key IN (\($0))" }
            ) { row in result[row[0], default: []].append(row[1]) }
            return result
        }
    }

    public func keys(flow: String, side: Side, ids: [String]) async throws -> [String: [String]] {
        if ids.isEmpty { return [:] }
        return try await read { db in
            var result: [String: [String]] = [:]
            try BatchWriter.forEachRow(
                matching: ids, after: [flow, side.rawValue], in: db,
                sql: {
                    "SELECT record_keys.record_id, record_keys.key FROM record_ids JOIN record_keys ON record_keys.n = record_ids.n "
                        + "WHERE record_ids.flow = ? AND record_ids.side = ? AND record_ids.record_id IN (\($0))"
                }
            ) { row in result[row[0], default: []].append(row[1]) }
            return result
        }
    }

    public func conflicts(flow: String?, unresolvedOnly: Bool, limit: Int) async throws -> [ConflictEntry] {
        try await read { db in
            var sql = "SELECT * FROM conflicts WHERE 1 = 1"
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let flow {
                sql += " AND flow = ?"
                arguments.append(flow)
            }
            if unresolvedOnly { sql += " AND resolved = 0" }
            sql += " ORDER BY id DESC LIMIT ?"
            arguments.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(RowDecoding.conflict)
        }
    }

    public func resolveConflict(id: Int64) async throws {
        try await write { db in try db.execute(sql: "UPDATE conflicts SET resolved = 1 WHERE id = ?", arguments: [id]) }
    }

    public func quarantined(flow: String?, limit: Int) async throws -> [QuarantineEntry] {
        try await read { db in
            if let flow {
                return try Row.fetchAll(db, sql: "SELECT * FROM quarantine WHERE flow = ? ORDER BY at DESC LIMIT ?", arguments: [flow, limit])
                    .map(RowDecoding.quarantine)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM quarantine ORDER BY at DESC LIMIT ?", arguments: [limit]).map(RowDecoding.quarantine)
        }
    }

    public func removals(flow: String, since: Int64) async throws -> Int {
        try await read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM audit WHERE flow = ? AND action IN ('archived', 'deleted') AND at >= ?", arguments: [flow, since]) ?? 0
        }
    }

    public func quarantineEntry(flow: String, side: Side, id: String) async throws -> QuarantineEntry? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM quarantine WHERE flow = ? AND side = ? AND record_id = ?", arguments: [flow, side.rawValue, id])
                .map(RowDecoding.quarantine)
        }
    }

    public func audit(flow: String, side: Side, id: String, limit: Int) async throws -> [AuditEntry] {
        let column = RecordNumbers.column(side)
        return try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM audit WHERE \(column) = (\(RecordNumbers.of("?"))) ORDER BY id DESC LIMIT ?",
                arguments: [flow, side.rawValue, id, limit]
            ).map(RowDecoding.audit)
        }
    }

    public func counts(flow: String) async throws -> FlowCounts {
        try await read { db in
            var counts = FlowCounts()
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM links WHERE flow = ? GROUP BY state", arguments: [flow]) {
                let n: Int = row["n"]
                switch LinkState(rawValue: row["state"]) {
                case .linked: counts.linked += n
                case .pendingLeft, .pendingRight: counts.pending += n
                case .leftDeleted, .rightDeleted: counts.deleted += n
                case nil: break
                }
            }
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM staged WHERE flow = ? GROUP BY state", arguments: [flow]) {
                let n: Int = row["n"]
                switch StagedState(rawValue: row["state"]) {
                case .unmatched: counts.unmatched += n
                case .ambiguous: counts.ambiguous += n
                case .parked: counts.parked += n
                case .deleted: counts.pendingDeletes += n
                case .excluded: counts.excluded += n
                case .dismissed, nil: break
                }
            }
            counts.quarantined = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM quarantine WHERE flow = ?", arguments: [flow]) ?? 0
            counts.conflicts = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM conflicts WHERE flow = ?", arguments: [flow]) ?? 0
            counts.openConflicts = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM conflicts WHERE flow = ? AND resolved = 0", arguments: [flow]) ?? 0
            return counts
        }
    }

    // MARK: - Error mapping

    func read<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw StoreError.from(error, path: pool.path)
        }
    }

    func write<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw StoreError.from(error, path: pool.path)
        }
    }
}

func placeholders(_ count: Int) -> String {
    Array(repeating: "?", count: count).joined(separator: ", ")
}

extension StatementArguments {
    init(_ values: [String]) {
        self.init(values.map { $0 as (any DatabaseValueConvertible)? })
    }
}

func + (lhs: [String], rhs: ArraySlice<String>) -> [String] { lhs + Array(rhs) }
