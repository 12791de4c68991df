import GRDB

/// Versioned schema of the SQLite state store; each migration runs once, in order.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE links (
                        flow TEXT NOT NULL, left_id TEXT, right_id TEXT, state TEXT NOT NULL, idem_key TEXT,
                        left_shadow TEXT NOT NULL, right_shadow TEXT NOT NULL, updated_at INTEGER NOT NULL);
                    CREATE UNIQUE INDEX links_by_left ON links(flow, left_id) WHERE left_id IS NOT NULL;
                    CREATE UNIQUE INDEX links_by_right ON links(flow, right_id) WHERE right_id IS NOT NULL;
                    CREATE INDEX links_by_state ON links(flow, state);
                    CREATE TABLE cursors (flow TEXT NOT NULL, side TEXT NOT NULL, cursor TEXT NOT NULL, PRIMARY KEY (flow, side));
                    CREATE TABLE staged (
                        flow TEXT NOT NULL, side TEXT NOT NULL, record_id TEXT NOT NULL, state TEXT NOT NULL,
                        fields TEXT NOT NULL, changed_at INTEGER, reason TEXT, related TEXT NOT NULL,
                        PRIMARY KEY (flow, side, record_id));
                    CREATE INDEX staged_by_state ON staged(flow, side, state, record_id);
                    CREATE TABLE record_keys (
                        flow TEXT NOT NULL, side TEXT NOT NULL, key TEXT NOT NULL, record_id TEXT NOT NULL,
                        PRIMARY KEY (flow, side, key, record_id));
                    CREATE INDEX record_keys_by_id ON record_keys(flow, side, record_id);
                    CREATE TABLE conflicts (
                        id INTEGER PRIMARY KEY AUTOINCREMENT, flow TEXT NOT NULL, left_id TEXT NOT NULL, right_id TEXT NOT NULL,
                        property TEXT NOT NULL, left_value TEXT NOT NULL, right_value TEXT NOT NULL, winner TEXT NOT NULL,
                        rule TEXT NOT NULL, at INTEGER NOT NULL, resolved INTEGER NOT NULL DEFAULT 0);
                    CREATE INDEX conflicts_by_flow ON conflicts(flow, resolved);
                    CREATE TABLE quarantine (
                        flow TEXT NOT NULL, side TEXT NOT NULL, record_id TEXT NOT NULL, reason TEXT NOT NULL,
                        attempts INTEGER NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (flow, side, record_id));
                    CREATE TABLE audit (
                        id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, flow TEXT NOT NULL, left_id TEXT, right_id TEXT,
                        target TEXT NOT NULL, action TEXT NOT NULL, changes TEXT NOT NULL, note TEXT);
                    CREATE INDEX audit_by_left ON audit(flow, left_id);
                    CREATE INDEX audit_by_right ON audit(flow, right_id);
                    """)
        }
        migrator.registerMigration("v2-record-numbers") { db in
            // Every record id is numbered once, in the order it is first seen; the links', merge keys' and audit's
            // indexes hold numbers instead of ids. Ids a system hands out at random (UUIDs) then land at random
            // places in one B-tree only (record_ids, keyed by id), where they used to land in four: at 300,000 links that
            // halved what each commit rewrites (scripts/sqlite-ceiling.py, layout "numbered"). The id columns stay
            // for reading; nothing looks them up any more. The numbers come from a counter (record_numbers), so
            // record_ids is one B-tree, keyed by id, with no rowid table beside it.
            try db.execute(
                sql: """
                    CREATE TABLE record_ids (
                        flow TEXT NOT NULL, side TEXT NOT NULL, record_id TEXT NOT NULL, n INTEGER NOT NULL,
                        PRIMARY KEY (flow, side, record_id)) WITHOUT ROWID;
                    CREATE TABLE record_numbers (next INTEGER NOT NULL);
                    INSERT INTO record_ids (flow, side, record_id, n)
                        SELECT flow, side, record_id, row_number() OVER () FROM (
                            SELECT flow, 'left' AS side, left_id AS record_id FROM links WHERE left_id IS NOT NULL
                            UNION SELECT flow, 'right', right_id FROM links WHERE right_id IS NOT NULL
                            UNION SELECT flow, side, record_id FROM record_keys
                            UNION SELECT flow, 'left', left_id FROM audit WHERE left_id IS NOT NULL
                            UNION SELECT flow, 'right', right_id FROM audit WHERE right_id IS NOT NULL);
                    INSERT INTO record_numbers (next) SELECT COALESCE(MAX(n), 0) + 1 FROM record_ids;
                    ALTER TABLE links ADD COLUMN left_n INTEGER;
                    ALTER TABLE links ADD COLUMN right_n INTEGER;
                    UPDATE links SET
                        left_n = (SELECT n FROM record_ids WHERE flow = links.flow AND side = 'left' AND record_id = links.left_id),
                        right_n = (SELECT n FROM record_ids WHERE flow = links.flow AND side = 'right' AND record_id = links.right_id);
                    DROP INDEX links_by_left;
                    DROP INDEX links_by_right;
                    CREATE UNIQUE INDEX links_by_left_n ON links(left_n) WHERE left_n IS NOT NULL;
                    CREATE UNIQUE INDEX links_by_right_n ON links(right_n) WHERE right_n IS NOT NULL;
                    ALTER TABLE record_keys ADD COLUMN n INTEGER;
                    UPDATE record_keys SET n = (
                        SELECT n FROM record_ids WHERE flow = record_keys.flow AND side = record_keys.side AND record_id = record_keys.record_id);
                    DROP INDEX record_keys_by_id;
                    CREATE INDEX record_keys_by_n ON record_keys(n);
                    ALTER TABLE audit ADD COLUMN left_n INTEGER;
                    ALTER TABLE audit ADD COLUMN right_n INTEGER;
                    UPDATE audit SET
                        left_n = (SELECT n FROM record_ids WHERE flow = audit.flow AND side = 'left' AND record_id = audit.left_id),
                        right_n = (SELECT n FROM record_ids WHERE flow = audit.flow AND side = 'right' AND record_id = audit.right_id);
                    DROP INDEX audit_by_left;
                    DROP INDEX audit_by_right;
                    CREATE INDEX audit_by_left_n ON audit(left_n);
                    CREATE INDEX audit_by_right_n ON audit(right_n);
                    """)
        }
        migrator.registerMigration("v3-removals") { db in
            // The circuit breaker counts the deletes and archives applied over its window (webhooks apply them
            // one by one); a partial index keeps that count off the audit's other rows, and onboarding's audit
            // rows (creates) never touch it.
            try db.execute(sql: "CREATE INDEX audit_removals ON audit(flow, at) WHERE action IN ('archived', 'deleted')")
        }
        return migrator
    }
}
