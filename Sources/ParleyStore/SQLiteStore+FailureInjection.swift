import GRDB

/// Limits a test can put on the connection every write of a `SQLiteStore` goes through, to make the state
/// fail the way a read-only or full disk does, through SQLite itself (root ignores file permissions).
public enum SQLiteWriterLimit: Sendable {
    /// `PRAGMA query_only`: every write fails with SQLITE_READONLY (or succeeds again when false).
    case queryOnly(Bool)
    /// `PRAGMA max_page_count`: the database cannot grow past this many pages (SQLITE_FULL).
    case maxPageCount(Int)
}

extension SQLiteStore {
    /// Applies a limit to the writer connection. For failure tests; Parley itself never calls it.
    public func limitWriter(_ limit: SQLiteWriterLimit) async throws {
        let sql = switch limit {
        case .queryOnly(let on): "PRAGMA query_only = \(on ? 1 : 0)"
        case .maxPageCount(let pages): "PRAGMA max_page_count = \(max(1, pages))"
        }
        try await pool.writeWithoutTransaction { db in try db.execute(sql: sql) }
    }

    /// Moves the write-ahead log into the database file and empties it, so the next commit has to grow the
    /// log: on a full disk, that commit fails at once.
    public func truncateWriteAheadLog() async throws {
        try await pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }

    /// Limits the database to the pages it has (`max_page_count`) and fills their free room with rows of a
    /// table of its own, ever smaller until SQLite answers SQLITE_FULL even for a few bytes: the next write
    /// that needs a page fails the way it does on a full disk. `freeFiller` undoes it.
    public func fillToPageLimit() async throws {
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS failure_injection_filler (bytes BLOB)")
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
            try db.execute(sql: "PRAGMA max_page_count = \(max(1, pages))")
            var size = 64 << 10
            while size >= 8 {
                do {
                    try db.execute(sql: "INSERT INTO failure_injection_filler VALUES (zeroblob(?))", arguments: [size])
                } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
                    size /= 2
                }
            }
        }
    }

    /// Drops the filler of `fillToPageLimit` and lifts the page limit.
    public func freeFiller() async throws {
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA max_page_count = 1073741823")
            try db.execute(sql: "DROP TABLE IF EXISTS failure_injection_filler")
        }
    }
}
