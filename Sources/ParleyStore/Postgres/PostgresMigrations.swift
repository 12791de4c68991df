import Logging
import PostgresNIO

/// Versioned schema of the PostgreSQL store. Migrations run under a transaction-scoped advisory lock, so
/// several workers starting together apply each one exactly once.
enum PostgresMigrations {
    static let lockKey: Int64 = 0x5041_524C_4559  // "PARLEY"

    static let steps: [(version: Int, statements: [String])] = [
        (1, [
            """
            CREATE TABLE links (
                flow TEXT NOT NULL, left_id TEXT, right_id TEXT, state TEXT NOT NULL, idem_key TEXT,
                left_shadow TEXT NOT NULL, right_shadow TEXT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            "CREATE UNIQUE INDEX links_by_left ON links(flow, left_id) WHERE left_id IS NOT NULL",
            "CREATE UNIQUE INDEX links_by_right ON links(flow, right_id) WHERE right_id IS NOT NULL",
            "CREATE INDEX links_by_state ON links(flow, state)",
            "CREATE TABLE cursors (flow TEXT NOT NULL, side TEXT NOT NULL, cursor TEXT NOT NULL, PRIMARY KEY (flow, side))",
            """
            CREATE TABLE staged (
                flow TEXT NOT NULL, side TEXT NOT NULL, record_id TEXT NOT NULL, state TEXT NOT NULL, fields TEXT NOT NULL,
                changed_at BIGINT, reason TEXT, related TEXT NOT NULL, PRIMARY KEY (flow, side, record_id))
            """,
            "CREATE INDEX staged_by_state ON staged(flow, side, state, record_id)",
            """
            CREATE TABLE record_keys (
                flow TEXT NOT NULL, side TEXT NOT NULL, key TEXT NOT NULL, record_id TEXT NOT NULL,
                PRIMARY KEY (flow, side, key, record_id))
            """,
            "CREATE INDEX record_keys_by_id ON record_keys(flow, side, record_id)",
            """
            CREATE TABLE conflicts (
                id BIGSERIAL PRIMARY KEY, flow TEXT NOT NULL, left_id TEXT NOT NULL, right_id TEXT NOT NULL, property TEXT NOT NULL,
                left_value TEXT NOT NULL, right_value TEXT NOT NULL, winner TEXT NOT NULL, rule TEXT NOT NULL, at BIGINT NOT NULL,
                resolved BOOLEAN NOT NULL DEFAULT FALSE)
            """,
            "CREATE INDEX conflicts_by_flow ON conflicts(flow, resolved)",
            """
            CREATE TABLE quarantine (
                flow TEXT NOT NULL, side TEXT NOT NULL, record_id TEXT NOT NULL, reason TEXT NOT NULL, attempts INTEGER NOT NULL,
                at BIGINT NOT NULL, PRIMARY KEY (flow, side, record_id))
            """,
            """
            CREATE TABLE audit (
                id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, flow TEXT NOT NULL, left_id TEXT, right_id TEXT, target TEXT NOT NULL,
                action TEXT NOT NULL, changes TEXT NOT NULL, note TEXT)
            """,
            "CREATE INDEX audit_by_left ON audit(flow, left_id)",
            "CREATE INDEX audit_by_right ON audit(flow, right_id)",
        ]),
        (2, [
            // Paging compares ids with `>` and orders them bytewise; the columns' collation must agree with that
            // whatever the database's default locale is, or a page boundary could skip or repeat an id.
            #"ALTER TABLE staged ALTER COLUMN record_id TYPE TEXT COLLATE "C""#,
            #"ALTER TABLE links ALTER COLUMN left_id TYPE TEXT COLLATE "C""#,
            // Work shared by several workers (PostgresWorkCoordinator): the items of each flow's newest
            // generation, and what each worker has done over time.
            """
            CREATE TABLE work_items (
                flow TEXT NOT NULL, generation BIGINT NOT NULL, phase INTEGER NOT NULL, part INTEGER NOT NULL, parts INTEGER NOT NULL,
                started_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), done_at TIMESTAMPTZ, done_by TEXT,
                records INTEGER NOT NULL DEFAULT 0, writes INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (flow, generation, phase, part))
            """,
            """
            CREATE TABLE worker_totals (
                worker TEXT NOT NULL, flow TEXT NOT NULL, items BIGINT NOT NULL, records BIGINT NOT NULL, writes BIGINT NOT NULL,
                last_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (worker, flow))
            """,
        ]),
        (3, [
            // The circuit breaker's count of deletes and archives applied over its window (see the SQLite store).
            "CREATE INDEX audit_removals ON audit(flow, at) WHERE action IN ('archived', 'deleted')",
        ]),
    ]

    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS parley_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                logger: logger)
            var applied = Set<Int>()
            for try await version in try await connection.query("SELECT version FROM parley_migrations", logger: logger).decode(Int.self) {
                applied.insert(version)
            }
            for step in steps where !applied.contains(step.version) {
                for statement in step.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO parley_migrations (version) VALUES (\(step.version))", logger: logger)
            }
        }
    }
}
