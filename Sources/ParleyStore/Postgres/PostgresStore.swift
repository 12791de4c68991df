import Foundation
import Logging
import ParleyCore
import ParleyPostgres
import PostgresNIO

/// The store for several workers: PostgreSQL through PostgresNIO, same tables and semantics as SQLite.
public final class PostgresStore: LinkStore {
    let client: PostgresClient
    let runner: PostgresClientRunner
    let logger: Logger
    let description: String
    let statistics = PlannerStatistics()

    /// How long opening waits for the first connection before it reports the database unreachable.
    static let connectTimeoutMillis = 5_000

    /// `url`: `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`; a password
    /// missing from the URL is taken from `PARLEY_STATE_PASSWORD`. TLS (`sslmode`, default `prefer`) verifies the
    /// server's certificate against the system's trust store whenever it is used; `prefer` falls back to an
    /// unencrypted connection when the server offers no TLS, and then logs a warning. Opening first makes one
    /// direct connection, so a database that cannot be reached (refused, no answer within 5 s, no TLS but
    /// `require`, a refused login) fails at once with that cause. Runs pending migrations (once, even with
    /// several workers starting together).
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger? = nil) async throws {
        let logger = logger ?? {
            var quiet = Logger(label: "parley.store.postgres")
            quiet.logLevel = .warning
            return quiet
        }()
        let description = Self.redact(url)
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, let user = components.user, !components.path.dropFirst().isEmpty
        else {
            throw StoreError.unavailable(path: description, message: "expected postgres://user[:password]@host[:port]/database")
        }
        // URLComponents has already decoded it (decoding again would turn a literal "%41" into "A").
        let password = components.password ?? environment["PARLEY_STATE_PASSWORD"]
        let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresEndpoint.TLSMode
        switch sslmode {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer
        case "require", "verify-ca", "verify-full": tls = .require
        default:
            throw StoreError.unavailable(path: description, message: "sslmode must be disable, prefer or require (was '\(sslmode)')")
        }
        let endpoint = PostgresEndpoint(
            host: host, port: components.port ?? 5432, username: user, password: password,
            database: String(components.path.dropFirst()), tls: tls)
        // The pool retries a connection that fails until its circuit breaker trips (about a minute) and then
        // names no cause: one direct connection first says why, at once.
        if let problem = await endpoint.diagnose(timeoutMillis: Self.connectTimeoutMillis, logger: logger) {
            throw StoreError.unavailable(path: description, message: problem.message(tlsOption: "sslmode"))
        }
        let client = PostgresClient(
            configuration: endpoint.clientConfiguration(connectTimeoutMillis: Self.connectTimeoutMillis), backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.description = description
        runner = PostgresClientRunner(client)
        await runner.started()
        do {
            try await PostgresMigrations.migrate(client, logger: logger)
        } catch {
            runner.cancel()
            throw StoreError.unavailable(path: description, message: String(reflecting: error).prefix(300).description)
        }
        if tls == .prefer { await warnIfUnencrypted() }
    }

    /// With `sslmode=prefer`: asks the server whether the session is encrypted and warns (naming the state,
    /// never its password) when it fell back to plaintext.
    func warnIfUnencrypted() async {
        let encrypted = try? await Deadline.run(millis: Self.connectTimeoutMillis) { [client, logger] in
            try await PostgresEndpoint.isEncrypted(client, logger: logger)
        }
        switch encrypted ?? nil {
        case true?:
            logger.debug("PostgreSQL state connection encrypted (sslmode=prefer)", metadata: ["state": "\(description)"])
        case false?:
            logger.warning(
                "state store \(description): the PostgreSQL server offered no TLS, so sslmode=prefer connected WITHOUT encryption; use sslmode=require (or sslmode=disable to accept plaintext knowingly)",
                metadata: ["state": "\(description)"])
        case nil:
            logger.warning(
                "state store \(description): cannot tell whether the PostgreSQL connection is encrypted (pg_stat_ssl unreadable); sslmode=prefer may have connected WITHOUT encryption; use sslmode=require",
                metadata: ["state": "\(description)"])
        }
    }

    /// The URL without its password, for messages.
    static func redact(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "postgres://…" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "postgres://…"
    }

    public func close() {
        runner.cancel()
    }

    func wrap<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.storeError(error, path: description)
        }
    }

    /// A read-only database (SQLSTATE 25006: `default_transaction_read_only`, a hot standby) or a full disk
    /// (53100) by name, like the SQLite store's; anything else with the server's text.
    static func storeError(_ error: any Error, path: String) -> StoreError {
        if let transaction = error as? PostgresTransactionError,
            let cause = transaction.closureError ?? transaction.beginError ?? transaction.commitError
        {
            return storeError(cause, path: path)
        }
        if let error = error as? StoreError { return error }
        switch (error as? PSQLError)?.serverInfo?[.sqlState] {
        case "25006": return .readOnly(path: path)
        case "53100": return .full(path: path)
        default: return .failed(path: path, message: String(reflecting: error).prefix(300).description)
        }
    }

    public func commit(_ batch: StoreBatch) async throws {
        if batch.isEmpty { return }
        try await wrap {
            try await client.withTransaction(logger: logger) { connection in
                // A write check need not wait for the log flush (one fsync per pass less); it still fails on a
                // read-only server.
                if batch.lossIsHarmless { try await connection.query("SET LOCAL synchronous_commit = off", logger: logger) }
                try await PostgresBatchWriter.write(batch, on: connection, logger: logger)
            }
        }
        if statistics.wrote(batch.rowCount) { await refreshStatistics() }
    }

    /// `ANALYZE` of the tables looked up by id (see `PlannerStatistics`). It waits at most a moment for a table
    /// another session is vacuuming or analyzing (that one refreshes the statistics anyway); a failure only costs
    /// speed, so it is logged and the next refresh comes after as many rows again.
    func refreshStatistics() async {
        do {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SET LOCAL lock_timeout = '200ms'", logger: logger)
                try await connection.query(PostgresQuery(unsafeSQL: "ANALYZE \(PlannerStatistics.tables)"), logger: logger)
            }
        } catch {
            logger.warning("could not refresh the planner's statistics", metadata: ["state": "\(description)", "error": "\(Self.storeError(error, path: description))"])
        }
    }

    public func links(flow: String, side: Side, ids: [String]) async throws -> [String: Link] {
        if ids.isEmpty { return [:] }
        return try await wrap {
            var result: [String: Link] = [:]
            let query: PostgresQuery = side == .left
                ? "SELECT * FROM links WHERE flow = \(flow) AND left_id = ANY(\(ids))"
                : "SELECT * FROM links WHERE flow = \(flow) AND right_id = ANY(\(ids))"
            for try await row in try await client.query(query, logger: logger) {
                let link = try PostgresRows.link(row)
                if let id = link.id(on: side) { result[id] = link }
            }
            return result
        }
    }

    public func pendingLinks(flow: String) async throws -> [Link] {
        try await fetch("SELECT * FROM links WHERE flow = \(flow) AND state IN ('pending-left', 'pending-right')", PostgresRows.link)
    }

    public func links(flow: String, after: String?, limit: Int) async throws -> [Link] {
        try await fetch(
            "SELECT * FROM links WHERE flow = \(flow) AND left_id IS NOT NULL AND left_id > \(after ?? "") ORDER BY left_id COLLATE \"C\" LIMIT \(limit)",
            PostgresRows.link)
    }

    public func cursor(flow: String, side: Side) async throws -> String? {
        try await wrap {
            for try await cursor in try await client.query("SELECT cursor FROM cursors WHERE flow = \(flow) AND side = \(side.rawValue)", logger: logger).decode(String.self) {
                return cursor
            }
            return nil
        }
    }

    public func staged(flow: String, side: Side, states: [StagedState], after: String?, limit: Int) async throws -> [StagedRecord] {
        if states.isEmpty { return [] }
        return try await fetch(Self.stagedQuery(flow: flow, side: side, states: states, partition: nil, after: after, limit: limit), PostgresRows.staged)
    }

    /// A page of a flow side's staged records in id order; with `partition`, only that hash partition (the share
    /// of one work item when workers cooperate).
    static func stagedQuery(flow: String, side: Side, states: [StagedState], partition: WorkPartition?, after: String?, limit: Int) -> PostgresQuery {
        // Two integers, so the partition condition is written into the text; everything else is bound.
        let inPartition = partition.map { "AND (hashtext(record_id) & 2147483647) % \(max(1, $0.count)) = \($0.index)" } ?? ""
        return """
            SELECT * FROM staged WHERE flow = \(flow) AND side = \(side.rawValue) AND state = ANY(\(states.map(\.rawValue)))
            AND record_id > \(after ?? "") \(unescaped: inPartition) ORDER BY record_id COLLATE "C" LIMIT \(limit)
            """
    }

    public func stagedStates(flow: String, among states: [StagedState]) async throws -> [Side: Set<StagedState>] {
        let slots = [Side.left, .right].flatMap { side in states.map { (side, $0) } }
        if slots.isEmpty { return [:] }
        return try await wrap {
            // One index probe (staged_by_state) per side and state, in one round trip.
            var present: [Side: Set<StagedState>] = [:]
            let rows = try await client.query(
                """
                SELECT slots.side, slots.state FROM unnest(\(slots.map(\.0.rawValue)), \(slots.map(\.1.rawValue))) AS slots(side, state)
                WHERE EXISTS (SELECT 1 FROM staged WHERE staged.flow = \(flow) AND staged.side = slots.side AND staged.state = slots.state)
                """,
                logger: logger)
            for try await (side, state) in rows.decode((String, String).self) {
                if let side = Side(rawValue: side), let state = StagedState(rawValue: state) { present[side, default: []].insert(state) }
            }
            return present
        }
    }

    public func stagedRecord(flow: String, side: Side, id: String) async throws -> StagedRecord? {
        try await fetch("SELECT * FROM staged WHERE flow = \(flow) AND side = \(side.rawValue) AND record_id = \(id)", PostgresRows.staged).first
    }

    public func ids(flow: String, side: Side, keys: [String]) async throws -> [String: [String]] {
        if keys.isEmpty { return [:] }
        return try await wrap {
            var result: [String: [String]] = [:]
            let rows = try await client.query(
                "SELECT key, record_id FROM record_keys WHERE flow = \(flow) AND side = \(side.rawValue) AND key = ANY(\(keys))", logger: logger)
            for try await (key, id) in rows.decode((String, String).self) { result[key, default: []].append(id) }
            return result
        }
    }

    public func keys(flow: String, side: Side, ids: [String]) async throws -> [String: [String]] {
        if ids.isEmpty { return [:] }
        return try await wrap {
            var result: [String: [String]] = [:]
            let rows = try await client.query(
                "SELECT key, record_id FROM record_keys WHERE flow = \(flow) AND side = \(side.rawValue) AND record_id = ANY(\(ids))", logger: logger)
            for try await (key, id) in rows.decode((String, String).self) { result[id, default: []].append(key) }
            return result
        }
    }

    public func conflicts(flow: String?, unresolvedOnly: Bool, limit: Int) async throws -> [ConflictEntry] {
        let query: PostgresQuery =
            switch (flow, unresolvedOnly) {
            case (let flow?, true): "SELECT * FROM conflicts WHERE flow = \(flow) AND NOT resolved ORDER BY id DESC LIMIT \(limit)"
            case (let flow?, false): "SELECT * FROM conflicts WHERE flow = \(flow) ORDER BY id DESC LIMIT \(limit)"
            case (nil, true): "SELECT * FROM conflicts WHERE NOT resolved ORDER BY id DESC LIMIT \(limit)"
            case (nil, false): "SELECT * FROM conflicts ORDER BY id DESC LIMIT \(limit)"
            }
        return try await fetch(query, PostgresRows.conflict)
    }

    public func resolveConflict(id: Int64) async throws {
        try await wrap { _ = try await client.query("UPDATE conflicts SET resolved = TRUE WHERE id = \(id)", logger: logger) }
    }

    public func quarantined(flow: String?, limit: Int) async throws -> [QuarantineEntry] {
        if let flow {
            return try await fetch("SELECT * FROM quarantine WHERE flow = \(flow) ORDER BY at DESC LIMIT \(limit)", PostgresRows.quarantine)
        }
        return try await fetch("SELECT * FROM quarantine ORDER BY at DESC LIMIT \(limit)", PostgresRows.quarantine)
    }

    public func removals(flow: String, since: Int64) async throws -> Int {
        try await fetch("SELECT count(*) FROM audit WHERE flow = \(flow) AND action IN ('archived', 'deleted') AND at >= \(since)") { row in
            try row.decode(Int.self)
        }.first ?? 0
    }

    public func quarantineEntry(flow: String, side: Side, id: String) async throws -> QuarantineEntry? {
        try await fetch("SELECT * FROM quarantine WHERE flow = \(flow) AND side = \(side.rawValue) AND record_id = \(id)", PostgresRows.quarantine).first
    }

    public func audit(flow: String, side: Side, id: String, limit: Int) async throws -> [AuditEntry] {
        let query: PostgresQuery = side == .left
            ? "SELECT * FROM audit WHERE flow = \(flow) AND left_id = \(id) ORDER BY id DESC LIMIT \(limit)"
            : "SELECT * FROM audit WHERE flow = \(flow) AND right_id = \(id) ORDER BY id DESC LIMIT \(limit)"
        return try await fetch(query, PostgresRows.audit)
    }

    public func counts(flow: String) async throws -> FlowCounts {
        try await wrap {
            var counts = FlowCounts()
            for try await (state, n) in try await client.query("SELECT state, COUNT(*)::BIGINT FROM links WHERE flow = \(flow) GROUP BY state", logger: logger).decode((String, Int64).self) {
                switch LinkState(rawValue: state) {
                case .linked: counts.linked += Int(n)
                case .pendingLeft, .pendingRight: counts.pending += Int(n)
                case .leftDeleted, .rightDeleted: counts.deleted += Int(n)
                case nil: break
                }
            }
            for try await (state, n) in try await client.query("SELECT state, COUNT(*)::BIGINT FROM staged WHERE flow = \(flow) GROUP BY state", logger: logger).decode((String, Int64).self) {
                switch StagedState(rawValue: state) {
                case .unmatched: counts.unmatched += Int(n)
                case .ambiguous: counts.ambiguous += Int(n)
                case .parked: counts.parked += Int(n)
                case .deleted: counts.pendingDeletes += Int(n)
                case .excluded: counts.excluded += Int(n)
                case .dismissed, nil: break
                }
            }
            for try await (quarantined, total, open) in try await client.query(
                """
                SELECT (SELECT COUNT(*) FROM quarantine WHERE flow = \(flow))::BIGINT,
                       (SELECT COUNT(*) FROM conflicts WHERE flow = \(flow))::BIGINT,
                       (SELECT COUNT(*) FROM conflicts WHERE flow = \(flow) AND NOT resolved)::BIGINT
                """, logger: logger
            ).decode((Int64, Int64, Int64).self) {
                counts.quarantined = Int(quarantined)
                counts.conflicts = Int(total)
                counts.openConflicts = Int(open)
            }
            return counts
        }
    }

    func fetch<T>(_ query: PostgresQuery, _ decode: (PostgresRow) throws -> T) async throws -> [T] {
        try await wrap {
            var result: [T] = []
            for try await row in try await client.query(query, logger: logger) { result.append(try decode(row)) }
            return result
        }
    }
}
