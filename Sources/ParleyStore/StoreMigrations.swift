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
        return migrator
    }
}
